#!/bin/sh
# uring-run as the jobserver: every line, every $(MAKE) below it and every nested
# uring-run share 3 slots. Run from the top of the source tree after building:
#   sh examples/run/server.sh build/src/run/uring-run
RUN=${1:-uring-run}
HERE=$(dirname "$0")
printf '%s\n' \
	"make -s -f $HERE/Makefile URING_RUN=$RUN other1 other2" \
	"$RUN --tag $HERE/jobs.txt" \
	"sleep 0.2; echo plain job" |
	"$RUN" --jobserver -j3 -k --joblog /dev/stderr
