#!/bin/sh
# A caller that ignores SIGCHLD (daemons, CI agents, Python programs; the
# disposition survives exec) still gets the real exit statuses from
# uring-run and uring-sh, as from xargs and dash. Runs each under
# signal(SIGCHLD, SIG_IGN) + execvp (sigign.c), as issue 17 reproduces it
# with python3.
# Usage: sigchld_ignored.sh SIGIGN URING_RUN URING_SH (either may be "-": skipped)
set -u
sigign=$1 run=$2 sh=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/uspawn-sigchld.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}
ignored() { # PROGRAM ARG...: run it with SIGCHLD ignored
	"$sigign" "$@"
}

if [ "$run" != - ]; then
	printf 'echo hello\n' >"$T/ok.txt"
	out=$(ignored "$run" "$T/ok.txt")
	st=$?
	[ "$st" = 0 ] && [ "$out" = hello ] || fail "uring-run, echo hello: status $st, output '$out'"
	printf 'exit 3\necho two\n' >"$T/three.txt"
	out=$(ignored "$run" -j2 "$T/three.txt")
	st=$?
	[ "$st" = 123 ] && [ "$out" = two ] || fail "uring-run, exit 3: status $st (want 123), output '$out'"
	printf '%s\n' "/bin/sh -c 'kill -TERM \$\$'" >"$T/sig.txt"
	ignored "$run" "$T/sig.txt"
	st=$?
	[ "$st" = 125 ] || fail "uring-run, a job killed: status $st (want 125)"
	# the jobs see SIGCHLD at SIG_DFL, as under make and xargs
	printf '%s\n' "grep '^SigIgn' /proc/self/status" >"$T/mask.txt"
	mask=$(ignored "$run" "$T/mask.txt" | awk '{print $2}')
	[ $((0x$mask >> 16 & 1)) = 0 ] || fail "uring-run: a job inherits SIGCHLD ignored ($mask)"
fi

if [ "$sh" != - ]; then
	# statuses of every way uring-sh runs a command: spawned, exec'd, a
	# subshell, $(...), a pipeline; and what the commands inherit
	script='sh -c "exit 3"; echo $?; (exit 4); echo $?; x=$(exit 5); echo $?
false | true; echo $?; true | false; echo $?; /bin/false; echo $?
sh -c "kill -TERM \$\$"; echo $?
m=$(grep "^SigIgn" /proc/self/status | cut -f2); echo "sigchld-ignored=$((0x$m >> 16 & 1))"
sh -c "exit 7"'
	want=$(ignored dash -c "$script" 2>&1; echo "last=$?")
	got=$(ignored "$sh" -c "$script" 2>&1; echo "last=$?")
	[ "$got" = "$want" ] || fail "uring-sh differs from dash with SIGCHLD ignored:
--- dash
$want
--- uring-sh
$got"
fi
[ $fails = 0 ] || exit 1
echo "1 passed, 0 failed"
