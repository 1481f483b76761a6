#!/bin/sh
# The uring-run demo that scripts/main.sh runs: the example jobs, a command
# template in GNU parallel's syntax, then a failing line shown on purpose.
#   sh examples/run/demo.sh [path/to/uring-run]
# Exit status: 0 when uring-run did what it documents (jobs.txt and the
# template exit 0; failing.txt's failure is named and exits 123), else 1.
RUN=${1:-uring-run}
HERE=$(dirname "$0")

echo "== demo: uring-run -j2 $HERE/jobs.txt"
"$RUN" -j2 "$HERE/jobs.txt" || { echo "demo: jobs.txt failed (status $?)" >&2; exit 1; }

echo
echo "== demo: a template over arguments, as GNU parallel: uring-run --keep-order 'wc -l < {}' ::: ..."
"$RUN" -j2 --keep-order --tag 'wc -l < {}' ::: "$HERE"/*.txt ||
	{ echo "demo: the template failed (status $?)" >&2; exit 1; }

echo
echo "== demo: a failing line (uring-run -j2 -k $HERE/failing.txt): named on stderr, exit status 123"
"$RUN" -j2 -k "$HERE/failing.txt"
st=$?
if [ "$st" != 123 ]; then
	echo "demo: expected exit status 123 from failing.txt, got $st" >&2
	exit 1
fi
echo "(exit status $st, as documented: a job exited with a status other than 0)"
exit 0
