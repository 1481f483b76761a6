#!/bin/sh
# A build spread over several machines: two distccd servers, each in a
# network namespace of its own (a veth pair, addresses of their own), and a
# generated C project of 4 x 50 + 1 translation units built three ways:
#   1. locally, stock make and gcc: the reference objects;
#   2. make -j8 SHELL=uring-sh CC="distcc gcc" (one sub-make per folder);
#   3. uring-run --jobserver -j8 on a jobs file: the compile lines of two
#      folders and main.c (spawned directly), and `make -f dK/Makefile` for
#      the other two (sub-makes taking their slots from uring-run's pool).
# Every object of 2 and 3 must be byte-identical to 1 (-g included: distcc
# preprocesses here and compiles remotely with the same gcc), the program
# linked from them must print the same, and the servers' logs must account
# for every compile: each server did some, none fell back to a local compile
# (DISTCC_FALLBACK=0), none failed.
# The servers and namespaces are removed on every exit path; the test fails
# if any is left. Not root: skipped (77). Root where namespaces cannot be
# made (a container without CAP_SYS_ADMIN): the servers listen on loopback
# addresses instead.
# Env: RUN (uring-run), SH (uring-sh under the name sh), TESTS (this folder).
set -u
: "${RUN:?RUN must name uring-run}" "${SH:?SH must name libexec/uspawn/sh}"
: "${TESTS:=$(cd "$(dirname "$0")" && pwd)}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the distccd servers run in network namespaces: needs root"
	exit 77
fi
for p in distcc distccd ip make gcc; do
	command -v "$p" > /dev/null || {
		echo "SKIP: $p is missing (scripts/deps.sh installs scripts/packages/distcc.txt)"
		exit 77
	}
done
. "$TESTS/lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL DISTCC_HOSTS
DT=$(mktemp -d "${TMPDIR:-/tmp}/uspawn-distcc.XXXXXX")
chmod 755 "$DT"
cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	dist_stop_all || { echo "FAIL: servers or namespaces left behind" >&2; rc=1; }
	rm -rf "$DT"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

NDIRS=4 NFILES=50 NSERVERS=2
NOBJ=$((NDIRS * NFILES + 1))
P=$DT/proj
gen_project "$P" "$NDIRS" "$NFILES"

dist_init
dist_reap_orphans
kind=netns
if ! ip netns add "uspawn-distcc-$$-probe" 2> /dev/null; then
	echo "note: cannot create network namespaces here: loopback addresses instead"
	kind=loop
else
	ip netns del "uspawn-distcc-$$-probe"
fi
k=0
while [ "$k" -lt "$NSERVERS" ]; do
	"dist_start_$kind" "$k" 2 || { echo "FAIL: server $k did not start" >&2; exit 1; }
	k=$((k + 1))
done
export DISTCC_HOSTS="${DIST_HOSTS# }" DISTCC_DIR="$DT/distcc" DISTCC_FALLBACK=0
mkdir -p "$DISTCC_DIR"
echo "servers ($kind): $DISTCC_HOSTS"

# a build must end within this, so that the trap still runs before ctest's timeout
limit() { timeout -k 10 400 "$@"; }

# compiles per server since the last call: delta "n0 n1 ...", total
served() {
	delta="" total=0 k=0
	while [ "$k" -lt "$NSERVERS" ]; do
		n=$(dist_compiles "$k")
		eval "b=\${seen$k:-0}"
		delta="$delta $((n - b))"
		total=$((total + n - b))
		eval "seen$k=$n"
		k=$((k + 1))
	done
}

# check_build NAME: every object as the reference's, the program prints the same,
# every server compiled some and all NOBJ were compiled remotely
check_build() {
	nobj=0 differ=0
	for o in "$DT/ref"/*.o "$DT/ref"/d*/*.o; do
		rel=${o#"$DT/ref/"}
		nobj=$((nobj + 1))
		cmp -s "$o" "$P/$rel" || {
			differ=$((differ + 1))
			[ "$differ" -le 3 ] && fail "$1: $rel differs from the local build"
		}
	done
	[ "$nobj" -eq "$NOBJ" ] || fail "$1: $nobj objects compared, expected $NOBJ"
	[ "$differ" -eq 0 ] || fail "$1: $differ of $nobj objects differ"
	out=$("$P/prog") || fail "$1: prog exited $?"
	[ "$out" = "$ref_out" ] || fail "$1: prog printed '$out', the local build '$ref_out'"
	served
	for d in $delta; do
		[ "$d" -gt 0 ] || fail "$1: a server compiled nothing (per server:$delta)"
	done
	[ "$total" -eq "$NOBJ" ] || fail "$1: the servers compiled $total objects, expected $NOBJ (per server:$delta)"
	! grep -q 'COMPILE_ERROR' "$DT"/distccd*.log || fail "$1: a compile failed on a server: $(grep -h COMPILE_ERROR "$DT"/distccd*.log | head -3)"
	[ "$differ" -eq 0 ] && echo "$1: $nobj objects identical, per server:$delta"
}

# quiet LOG: the build printed nothing but the distcc client's own notes.
# Seen once under load: the client reported a connection a server closed
# ("unexpected eof", "read failed while waiting for token SOUT"), and the
# build still succeeded with every object compiled by a server. The compile
# counts and the objects are checked all the same.
quiet() {
	grep -v '^distcc\[[0-9]*\] ' "$1" > "$1.rest"
	grep '^distcc\[[0-9]*\] ' "$1" | sed 's/^/note: /'
	[ ! -s "$1.rest" ] || { cat "$1.rest"; return 1; }
}

# 1. the reference: locally, stock make, no distcc
limit make -C "$P" -j2 -s CC=gcc all > "$DT/ref.log" 2>&1 || {
	cat "$DT/ref.log"
	fail "local build failed"
	exit 1
}
mkdir -p "$DT/ref"
(cd "$P" && cp --parents main.o d*/*.o "$DT/ref/")
ref_out=$("$P/prog")
echo "local build: $(ls "$DT/ref"/*.o "$DT/ref"/d*/*.o | wc -l) objects, prog: $ref_out"

# 2. make SHELL=uring-sh CC="distcc gcc": every recipe line in uring-sh
make -C "$P" -s clean
served
limit env USPAWN_SH_STATS="$DT/sh.stats" make -C "$P" -j8 -s SHELL="$SH" CC="distcc gcc" all \
	> "$DT/make.log" 2>&1 || {
	cat "$DT/make.log"
	fail "make SHELL=uring-sh CC='distcc gcc' failed"
}
quiet "$DT/make.log" || fail "make SHELL=uring-sh: unexpected output"
native=$(grep -c '^native' "$DT/sh.stats" 2> /dev/null)
[ "${native:-0}" -ge "$NOBJ" ] || fail "make SHELL=uring-sh: only ${native:-0} lines ran in uring-sh"
! grep -v '^native' "$DT/sh.stats" | grep -q . || fail "uring-sh delegated: $(grep -v '^native' "$DT/sh.stats" | head -3)"
check_build "make SHELL=uring-sh"

# 3. uring-run --jobserver: compile lines and sub-makes share its 8 slots
make -C "$P" -s clean
{
	project_lines "$P" "distcc gcc" | grep -v ' -c d[23]/'
	echo "make -s -f d2/Makefile CC='distcc gcc' SHELL=$SH"
	echo "make -s -f d3/Makefile CC='distcc gcc' SHELL=$SH"
} > "$DT/jobs.txt"
served
(cd "$P" && limit "$RUN" --jobserver -j8 --joblog "$DT/joblog" "$DT/jobs.txt") > "$DT/run.log" 2>&1 || {
	cat "$DT/run.log"
	fail "uring-run --jobserver failed"
}
quiet "$DT/run.log" || fail "uring-run --jobserver: unexpected output (a sub-make without the jobserver?)"
jobs=$(($(wc -l < "$DT/jobs.txt")))
ok=$(awk -F'\t' 'NR > 1 && $7 == 0' "$DT/joblog" | wc -l)
[ "$ok" -eq "$jobs" ] || fail "uring-run: $ok of $jobs jobs exited 0 in the joblog"
(cd "$P" && gcc -o prog main.o d*/*.o) || fail "uring-run build: link failed"
check_build "uring-run --jobserver"

# a server's I/O errors (a client gone, a connection reset) are notes
grep -h 'ERROR' "$DT"/distccd*.log | grep -v COMPILE_ERROR | sed 's/^/note: server: /'
if [ "$fails" -ne 0 ]; then
	for l in "$DT"/distccd*.log; do
		echo "--- the end of $l" >&2
		tail -20 "$l" >&2
	done
	echo "$fails failure(s)" >&2
	exit 1
fi
echo "ok"
