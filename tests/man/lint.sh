#!/bin/sh
# Every man page in DIR (docs/man/*.[1-8], whichever exist): mandoc's lint
# and groff (through man -l) report no warning, the page renders, its .Dt
# names the file, and every cross reference to a libuspawn page (libuspawn,
# uspawn_*) reaches a page or a name in a page's NAME section.
# Debian packages: mandoc, man-db, groff-base (scripts/packages/man.txt).
set -u
dir=$1
for p in mandoc man groff; do
	command -v "$p" > /dev/null || { echo "FAIL: $p is missing (scripts/packages/man.txt)"; exit 1; }
done
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
# the names every page answers to, as "name.section" lines
names=$(for page in "$dir"/*.[1-8]; do
	f=${page##*/}
	echo "$f"
	sed -n '/^\.Sh NAME/,/^\.Nd/s/^\.Nm \([^ ]*\).*/\1/p' "$page" | sed "s/\$/.${f##*.}/"
done)
n=0
for page in "$dir"/*.[1-8]; do
	[ -e "$page" ] || continue
	n=$((n + 1))
	f=${page##*/}
	out=$(mandoc -T lint -W warning "$page" 2>&1) || fail "$f: mandoc -T lint: exit $?"
	[ -z "$out" ] || fail "$f: mandoc -T lint -W warning:
$out"
	err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -E UTF-8 -l "$page" 2>&1 > "${TMPDIR:-/tmp}/man.$$")
	[ -z "$err" ] || fail "$f: man --warnings -l:
$err"
	head=$(sed -n '/^NAME/,/^$/p' "${TMPDIR:-/tmp}/man.$$" | sed 1d | tr -s ' \n' '  ')
	rm -f "${TMPDIR:-/tmp}/man.$$"
	case $head in
	*" — "* | *" - "*) ;;
	*) fail "$f: man -l renders no NAME line (got '$head')" ;;
	esac
	base=${f%.*} sec=${f##*.}
	dt=$(sed -n 's/^\.Dt \([^ ]*\) \([1-8]\).*/\1 \2/p' "$page")
	want="$(echo "$base" | tr '[:lower:]' '[:upper:]') $sec"
	[ "$dt" = "$want" ] || fail "$f: .Dt says '$dt', the file name '$want'"
	for x in $(sed -n 's/^\.Xr \(libuspawn\|uspawn_[a-z_]*\) \([1-8]\).*/\1.\2/p' "$page"); do
		echo "$names" | grep -qx "$x" || fail "$f: .Xr ${x%.*} ${x##*.}: no such page or name"
	done
done
[ "$n" -gt 0 ] || fail "no man page in $dir"
[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "ok: $n pages"
