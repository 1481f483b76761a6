#!/bin/sh
# The main job on a fresh machine: install what is missing, build, print the
# spawnbench tables (latency and throughput), then build the demo project
# through uring-sh and run the demo jobs through uring-run.
#   RUNS=N      latency samples per method and state (default 2000)
# Exit status: 0 when all of that ran as it should. The uring-run demo shows
# a failing job on purpose (examples/run/failing.txt); that job's failure is
# expected and checked (uring-run must name it and exit 123), so it does not
# make this script fail. Any other failure does (set -e).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build >/dev/null
b=$PWD/build

echo "== machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d)"
echo "== spawnbench (pinned to cpu 0 with taskset)"
taskset -c 0 "$b/bench/spawnbench" --runs "${RUNS:-2000}"
echo
taskset -c 0 "$b/bench/spawnbench" --throughput 2000 --parallel 8 --rounds 5 \
	--methods posix_spawn,vfork,uspawn-vfork,uspawn-posix,uspawn-uring

if [ -x "$b/src/sh/uring-sh" ] && [ -f examples/Makefile ]; then
	echo
	echo "== demo: make -j2 SHELL=uring-sh (as libexec/uspawn/sh) in examples/"
	demo=$(mktemp -d)
	cp -r examples/. "$demo/"
	make -C "$demo" -j2 SHELL="$b/libexec/uspawn/sh" USPAWN_SH_STATS="$demo/stats"
	[ -f "$demo/stats" ] && echo "uring-sh lines: $(grep -c '^native' "$demo/stats") native, $(grep -vc '^native' "$demo/stats") delegated"
	rm -rf "$demo"
fi
if [ -x "$b/src/run/uring-run" ] && [ -f examples/run/demo.sh ]; then
	echo
	sh examples/run/demo.sh "$b/src/run/uring-run"
fi
