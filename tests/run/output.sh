#!/bin/sh
# Output modes under interleaving, --tag, huge outputs, jobs that close stdout.
. "$TESTS/lib.sh"

# four jobs writing at once, a line every few ms, to stdout and stderr
: > "$T/a"
for x in A B C D; do
	echo "for i in 1 2 3 4 5 6; do echo $x\$i; echo e$x\$i >&2; sleep 0.02; done" >> "$T/a"
done
"$RUN" -j4 "$T/a" > "$T/o" 2> "$T/e"
check "grouped: stdout lines" 24 "$(wc -l < "$T/o")"
check "grouped: stdout in 4 runs" 4 "$(cut -c1 "$T/o" | uniq | wc -l)"
check "grouped: stderr in 4 runs" 4 "$(cut -c2 "$T/e" | uniq | wc -l)"
for x in A B C D; do
	check "grouped: $x in order" "${x}1 ${x}2 ${x}3 ${x}4 ${x}5 ${x}6" "$(grep "^$x" "$T/o" | tr '\n' ' ' | sed 's/ $//')"
done

# --line-buffer: lines written in pieces are never torn
: > "$T/a"
for x in a b c; do
	printf '%s\n' "for i in 1 2 3 4 5; do printf '$x$x'; sleep 0.05; printf '$x$x\\n'; done" >> "$T/a"
done
"$RUN" -j3 --line-buffer "$T/a" > "$T/o"
check "line-buffer: lines" 15 "$(wc -l < "$T/o")"
check "line-buffer: torn lines" "" "$(grep -v -x -e aaaa -e bbbb -e cccc "$T/o")"
check "line-buffer: interleaved" 1 "$([ "$(uniq "$T/o" | wc -l)" -gt 3 ] && echo 1 || echo 0)"

# --tag: the command line and a TAB before every line, also for the last unterminated one
printf 'echo x; printf y\necho z >&2\n' > "$T/a"
"$RUN" -j1 --tag "$T/a" > "$T/o" 2> "$T/e"
check "tag stdout" "$(printf 'echo x; printf y\tx\necho x; printf y\ty')" "$(cat "$T/o")"
check "tag stderr" "$(printf 'echo z >&2\tz')" "$(cat "$T/e")"
"$RUN" -j1 --tag --line-buffer "$T/a" > "$T/o" 2> /dev/null
check "tag line-buffer" "$(printf 'echo x; printf y\tx\necho x; printf y\ty')" "$(cat "$T/o")"

# --ungroup: straight through
printf 'echo u1\necho u2 >&2\n' > "$T/a"
"$RUN" -j2 -u "$T/a" > "$T/o" 2> "$T/e"
check "ungroup stdout" u1 "$(cat "$T/o")"
check "ungroup stderr" u2 "$(cat "$T/e")"

# a job that closes its stdout; the others are not disturbed
printf 'exec >&-; sleep 0.2; echo gone >&2\necho fine\n' > "$T/a"
"$RUN" -j2 -k "$T/a" > "$T/o" 2> "$T/e"
check "closed stdout: others" fine "$(cat "$T/o")"
check "closed stdout: its stderr" gone "$(cat "$T/e")"

# huge outputs: 2 x 100 MB at once, each whole, nothing lost
printf 'yes a | head -c 100000000\nyes b | head -c 100000000\n' > "$T/a"
"$RUN" -j2 "$T/a" | uniq -c | sed 's/^ *//' > "$T/o"
check "huge outputs" "$(printf '50000000 a\n50000000 b')" "$(sort -k2 "$T/o")"
check "huge outputs grouped" 2 "$(wc -l < "$T/o")"
"$RUN" -j2 --line-buffer "$T/a" | sort | uniq -c | sed 's/^ *//' > "$T/o"
check "huge outputs, line-buffer" "$(printf '50000000 a\n50000000 b')" "$(cat "$T/o")"

# a closed stdout of uring-run itself: no hang, no crash
printf 'yes | head -c 1000000\n' > "$T/a"
"$RUN" -j1 "$T/a" | head -c 10 > /dev/null

done_testing
