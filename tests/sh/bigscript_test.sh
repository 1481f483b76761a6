#!/bin/sh
# SPDX-License-Identifier: MIT
# Scripts of any size run natively, a list at a time (issue 20.2): a
# generated script of ~1 MB (functions, a case of ~200 KB that is one
# list, here-documents, loops, lines crossing every 8 KiB read) must give
# dash's output and status, read as a file and from stdin, with every
# USPAWN_SH_STATS record "native". The largest resident set of a run of
# this script and of one eight times as long (the same lists repeated)
# must stay within 8 MiB of each other: memory follows the largest list
# and the functions defined, not the script. (A function defined again
# keeps its old tree: memory grows with redefinitions, not tested here.)
# usage: bigscript_test.sh URING_SH
set -u
ush=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail=0

gen() { # gen REPEAT > script
	awk -v rep="$1" 'BEGIN {
		print "f0() { echo \"f0 $*\"; }"
		print "count=0"
		print "case x in"
		for (i = 0; i < 6000; i++)
			printf "  pattern%d|other%d) echo never %d ;;\n", i, i, i
		print "  x) echo case-matched ;;"
		print "esac"
		for (r = 0; r < rep; r++)
			for (i = 0; i < 9000; i++) {
				if (r == 0 && i < 50)
					printf "f%d() { count=$((count + $1)); }\n", i
				printf "f%d %d; v%d=\"value %d with some padding to fill the line up, and then a little more of it\"\n", i % 50, i, i % 97, i
				if (i % 100 == 0) {
					printf "cat <<EOF%d\nhere %d $count\n$(echo sub %d)\nEOF%d\n", i, i, i, i
					printf "for j in 1 2 3; do\n  : $j\ndone; echo loop %d $j\n", i
				}
				if (i % 400 == 0)
					printf "if [ %d -gt 0 ]; then\n  echo \"if %d $count\"\nelse\n  echo else\nfi\n", i, i
			}
		print "echo end $count"
	}'
}
gen 1 > "$dir/big.sh"
gen 6 > "$dir/huge.sh"
size=$(wc -c < "$dir/big.sh")
[ "$size" -gt 1000000 ] || { echo "FAIL: the script is only $size bytes"; fail=1; }

dash "$dir/big.sh" > "$dir/want" 2>&1
echo "status $?" >> "$dir/want"
for how in file stdin; do
	rm -f "$dir/stats"
	if [ $how = file ]; then
		USPAWN_SH_STATS="$dir/stats" timeout 120 "$ush" "$dir/big.sh" > "$dir/got" 2>&1
	else
		USPAWN_SH_STATS="$dir/stats" timeout 120 "$ush" < "$dir/big.sh" > "$dir/got" 2>&1
	fi
	echo "status $?" >> "$dir/got"
	cmp -s "$dir/want" "$dir/got" || { echo "FAIL: $how: output differs from dash's"; diff "$dir/want" "$dir/got" | head; fail=1; }
	grep -v '^native$' "$dir/stats" && { echo "FAIL: $how: not native"; fail=1; }
done

# the largest resident set, in KiB, of running a script under uring-sh
rss() {
	# under ASan, freed memory waits in its quarantine (256 MB): none here,
	# so that the resident set follows what the shell holds, as without it
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		/usr/bin/time -f %M -o "$dir/rss" "$ush" "$1" > /dev/null 2>&1
	cat "$dir/rss"
}
if [ -x /usr/bin/time ]; then
	small=$(rss "$dir/big.sh") large=$(rss "$dir/huge.sh")
	echo "largest resident set: $small KiB (1 MB script), $large KiB (6 MB script)"
	[ $((large - small)) -lt 8192 ] || { echo "FAIL: memory grows with the script"; fail=1; }
fi
exit $fail
