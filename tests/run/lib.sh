# Shared by the uring-run tests: sourced, with RUN and TESTS set by ctest.
set -u
: "${RUN:?RUN must name the uring-run binary}"
: "${TESTS:=$(cd "$(dirname "$0")" && pwd)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/uring-run-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL
# WRAP_NORING=1: the same tests where io_uring is refused (tests/noring.c)
if [ "${WRAP_NORING:-0}" = 1 ]; then
	printf '#!/bin/sh\nexec "%s" "%s" uring-run "$@"\n' "$NORING" "$RUN" > "$T/uring-run"
	chmod +x "$T/uring-run"
	RUN=$T/uring-run
fi
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

check() { # check WHAT EXPECTED ACTUAL
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

done_testing() {
	[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
	echo "ok"
	exit 0
}

# A concurrency meter: each job runs `sh $TESTS/conc.sh DIR SECONDS`.
conc_init() {
	mkdir -p "$1"
	echo 0 > "$1/cur"
	echo 0 > "$1/max"
	: > "$1/lock"
}
