#!/bin/bash
# SPDX-License-Identifier: MIT
# `sh -n FILE` over every #!/bin/sh script on the system (/usr, /etc):
# uring-sh must give dash's verdict (status) and message (stderr) for
# each, natively (issue 20.4). Nothing runs: -n only parses.
# usage: syntax_system_test.sh URING_SH
set -u
ush=$1
dash=$(readlink -f /bin/sh)
case $dash in */dash) ;; *) dash=$(command -v dash) || { echo "no dash: skipped"; exit 77; } ;; esac
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail=0 n=0 bad=0
while IFS= read -r f; do
	n=$((n + 1))
	want=$(cd "$dir" && "$dash" -n "$f" 2>&1 < /dev/null; echo "status $?")
	rm -f "$dir/stats"
	got=$(cd "$dir" && USPAWN_SH_STATS="$dir/stats" timeout 10 "$ush" -n "$f" 2>&1 < /dev/null; echo "status $?")
	got=${got//$ush/$dash}
	if [ "$want" != "$got" ]; then
		echo "FAIL: $f: dash '$want', uring-sh '$got'"
		fail=1
	elif grep -qv '^native' "$dir/stats"; then
		echo "FAIL: $f: not native: $(cat "$dir/stats")"
		fail=1
	fi
	case $want in *'status 0') ;; *) bad=$((bad + 1)) ;; esac
done < <(find /usr /etc -xdev -type f -size -4M -print0 2>/dev/null |
	xargs -0 awk 'FNR == 1 { if ($0 ~ /^#! ?\/bin\/sh([ \t]|$)/) print FILENAME; nextfile }' 2>/dev/null |
	LC_ALL=C sort)
echo "$n #!/bin/sh scripts, $bad with a syntax error"
[ "$n" -gt 0 ] || { echo "FAIL: no script found"; fail=1; }
exit $fail
