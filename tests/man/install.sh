#!/bin/sh
# cmake --install puts every docs/man page at share/man/manN, and a link for
# each further name of its NAME section; man finds and renders them there.
set -u
build=$1 dir=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/uspawn-man.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
cmake --install "$build" --prefix "$T" > /dev/null || { echo "FAIL: cmake --install"; exit 1; }
M=$T/share/man
n=0 links=0
for page in "$dir"/*.[1-8]; do
	[ -e "$page" ] || continue
	f=${page##*/} sec=${page##*.}
	n=$((n + 1))
	cmp -s "$page" "$M/man$sec/$f" || fail "$f: not installed as $M/man$sec/$f"
	for name in $(sed -n '/^\.Sh NAME/,/^\.Nd/s/^\.Nm \([^ ]*\).*/\1/p' "$page"); do
		[ -e "$dir/$name.$sec" ] && continue # a page of its own
		links=$((links + 1))
		[ "$(readlink "$M/man$sec/$name.$sec")" = "$f" ] ||
			fail "$name($sec): $M/man$sec/$name.$sec is not a link to $f"
		# man finds the name and shows the page it belongs to
		out=$(MANWIDTH=80 man -M "$M" "$sec" "$name" 2> /dev/null | head -3)
		case $out in
		*"$(echo "${f%.*}" | tr '[:lower:]' '[:upper:]')($sec)"*) ;;
		*) fail "man -M $M $sec $name: got '$out'" ;;
		esac
	done
done
[ "$n" -gt 0 ] || fail "no man page in $dir"
[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "ok: $n pages and $links links installed"
