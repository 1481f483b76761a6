#!/bin/sh
# docs/man/uring-run.1 (issue 18, item 7): mdoc that mandoc and groff render
# without a warning, documenting every option of --help and every exit status.
. "$TESTS/lib.sh"

page=$SRC/docs/man/uring-run.1
for p in mandoc man; do
	command -v $p > /dev/null || { echo "SKIP: $p is not installed (scripts/packages/run.txt)"; exit 0; }
done
out=$(mandoc -T lint -W warning "$page" 2>&1) || fail "mandoc -T lint: exit $?"
check "mandoc -T lint -W warning" "" "$out"
err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -E UTF-8 -l "$page" 2>&1 > "$T/page.txt")
check "man --warnings -l" "" "$err"
grep -q '^NAME' "$T/page.txt" || fail "the page does not render: $(head "$T/page.txt")"

# every long option --help lists, in the page and in docs/uring-run.md
"$RUN" --help | grep -o -- '--[a-z][a-z-]*' | sort -u > "$T/opts"
[ "$(wc -l < "$T/opts")" -gt 20 ] || fail "--help lists too few options: $(cat "$T/opts")"
while read -r opt; do
	grep -q -- "^ *$opt\\b" "$T/page.txt" || grep -q -- "$opt\\b" "$T/page.txt" || fail "uring-run.1 lacks $opt"
	grep -q -- "\`$opt" "$SRC/docs/uring-run.md" || grep -q -- "$opt" "$SRC/docs/uring-run.md" ||
		fail "docs/uring-run.md lacks $opt"
done < "$T/opts"
# every exit status --help lists, in the page's EXIT STATUS
"$RUN" --help | sed -n '/^Exit status/,$p' | awk 'NR > 1 {print $1}' > "$T/codes"
sed -n '/^EXIT STATUS/,/^EXAMPLES/p' "$T/page.txt" > "$T/exit"
while read -r code; do
	grep -q "^     $(echo "$code" | sed 's/N$/n/') " "$T/exit" || fail "uring-run.1's EXIT STATUS lacks $code"
done < "$T/codes"

done_testing
