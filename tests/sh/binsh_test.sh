#!/bin/bash
# SPDX-License-Identifier: MIT
# uring-sh as the system's /bin/sh (issue 20): in a private mount namespace
# uring-sh is bind-mounted onto /bin/sh (on Debian a link to dash, so the
# mount lands on /usr/bin/dash too). Every mode it once handed to /bin/sh
# must now run natively or reach a real dash ($USPAWN_SH_DASH) or stop with
# one line and status 2: never exec itself. Each case runs under a timeout
# and leaves at most two USPAWN_SH_STATS records (a loop leaves thousands).
# Needs root (unshare -m, mount --bind): skipped (77) otherwise.
# usage: binsh_test.sh URING_SH
set -u
ush=$(readlink -f "$1")
[ "$(id -u)" = 0 ] && command -v unshare >/dev/null || { echo "needs root and unshare: skipped"; exit 77; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cp "$(readlink -f /bin/sh)" "$dir/dash" # the real dash, before the mount hides it
printf 'echo "script $1"\n' > "$dir/s.sh"

cat > "$dir/inner.sh" <<'INNER'
set -u
dir=$1 ush=$2 fail=0
mount --bind "$ush" /bin/sh || { echo "mount failed"; exit 1; }
# /bin/sh and dash are now uring-sh (the same file)
[ "$(stat -L -c %i /bin/sh)" = "$(stat -L -c %i "$ush")" ] || { echo "FAIL: /bin/sh is not uring-sh"; exit 1; }
# expect STATUS OUTPUT DESCRIPTION -- COMMAND...: stdin from $in (OUTPUT: a bash pattern)
expect() {
	local want_st=$1 want=$2 what=$3
	shift 4
	rm -f "$dir/stats"
	got=$(printf '%b' "$in" | USPAWN_SH_STATS="$dir/stats" timeout 10 "$@" 2>&1)
	st=$?
	n=$(cat "$dir/stats" 2>/dev/null | wc -l)
	# shellcheck disable=SC2053 # a want with * is a pattern
	if [ "$st" != "$want_st" ] || [[ $got != $want ]] || [ "$n" -gt 2 ]; then
		echo "FAIL: $what: status $st (want $want_st), $n records, output '$got' (want '$want')"
		fail=1
	fi
}
in='echo hi\n'
expect 0 hi 'commands on stdin' -- /bin/sh
expect 0 hi 'commands on stdin, dash' -- dash
in='echo "$0 $1 $2"\n'
expect 0 '/bin/sh a b' '-s with arguments' -- /bin/sh -s a b
in='cat <<E\nhere\nE\n'
expect 0 here 'a here-document into sh' -- /bin/sh
in='echo v\n'
expect 0 $'echo v\nv' '-v' -- /bin/sh -v
in=''
expect 0 '' '-n on /etc/profile' -- /bin/sh -n /etc/profile
in='if\n'
expect 2 '/bin/sh: 2: Syntax error: end of file unexpected (expecting "then")' '-n, a syntax error' -- /bin/sh -n
expect 0 'script x' 'a script' -- /bin/sh "$dir/s.sh" x
expect 0 'c' '-c' -- /bin/sh -c 'echo c'
expect 0 'pipe' 'sh in a pipeline of sh' -- /bin/sh -c 'echo "echo pipe" | sh'
# what stays dash's: -i and the options uring-sh does not take
in='echo i\n'
expect 2 'uring-sh: no dash to run this (option): /bin/sh is uring-sh; set USPAWN_SH_DASH' \
	'-i with no dash left' -- /bin/sh -i
expect 2 'uring-sh: no dash to run this (option): /bin/sh is uring-sh; set USPAWN_SH_DASH' \
	'-l with no dash left' -- /bin/sh -l -c 'echo l'
expect 2 'uring-sh: no dash to run this (option): /bin/sh is uring-sh; set USPAWN_SH_DASH' \
	'USPAWN_SH_DASH naming uring-sh' -- env USPAWN_SH_DASH=/bin/sh /bin/sh -i
expect 0 'l' '-l with USPAWN_SH_DASH' -- env USPAWN_SH_DASH="$dir/dash" /bin/sh -l -c 'echo l'
in='echo interactive\nexit 3\n'
expect 3 '*interactive*' '-i with USPAWN_SH_DASH' -- env USPAWN_SH_DASH="$dir/dash" /bin/sh -i
exit $fail
INNER
unshare -m --propagation private bash "$dir/inner.sh" "$dir" "$ush"
