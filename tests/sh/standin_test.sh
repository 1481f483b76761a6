#!/bin/sh
# SPDX-License-Identifier: MIT
# uring-sh runs the commands that are /bin/sh itself (src/sh/eval/standin.c):
# every such shell leaves its own USPAWN_SH_STATS record, and none does
# with USPAWN_SH_SELF=0 or where uring-sh would delegate anyway.
# usage: standin_test.sh URING_SH
set -u
ush=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail=0
printf 'echo script "$1"\n' > "$dir/s.sh"
printf 'echo noshebang\n' > "$dir/ns"
chmod +x "$dir/ns"

# expect WANT_RECORDS WANT_OUTPUT LINE [ENV=VALUE]
expect() {
	rm -f "$dir/stats"
	got=$(cd "$dir" && env ${4:-} USPAWN_SH_STATS="$dir/stats" "$ush" -c "$3" 2>&1)
	n=$(grep -c '^native' "$dir/stats" 2>/dev/null)
	if [ "$n" != "$1" ] || [ "$got" != "$2" ]; then
		echo "FAIL: $3 ${4:-}: $n native records (want $1), output '$got' (want '$2')"
		fail=1
	fi
}

expect 2 'in' "sh -c 'echo in'"
expect 2 'in' "/bin/sh -c 'echo in'"
expect 2 'in' "dash -c 'echo in'"
expect 2 'script a' "sh s.sh a"
expect 2 'script b' "sh -e s.sh b; :"
expect 2 'x' 'v=$(sh -c "echo x"); echo $v'
expect 2 'X' "echo x | sh -c 'tr x X'"
expect 3 'deep' "sh -c \"sh -c 'echo deep'\""
expect 2 'noshebang' "./ns"
expect 1 'in' "sh -c 'echo in'" USPAWN_SH_SELF=0
expect 1 'script a' "sh s.sh a" USPAWN_SH_SELF=0
# stdin scripts are dash's: no second record, nothing lost
expect 1 'fed' "echo 'echo fed' | sh -s"
expect 1 'fed' "echo 'echo fed' | sh"
# bash is not dash: left alone
if command -v bash > /dev/null; then
	expect 1 'b' "bash -c 'echo b'"
fi
exit $fail
