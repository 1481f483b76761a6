#!/bin/sh
# cmake --install puts every docs/man page at share/man/manN, and a link for
# each further name of its NAME section; man finds and renders them there.
# The program in libuspawn(3)'s EXAMPLES builds against the installed library
# and does what the page says. SANITIZE ($3): the flags of a sanitizer build.
set -u
build=$1 dir=$2
CC="cc ${3:-}"
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

# libuspawn(3)'s example: cc -c a.c with output captured, cc -c b.c with
# stderr into b.log
sed -n '/^\.Sh EXAMPLES/,/^\.Sh/p' "$dir/libuspawn.3" | sed -n '/^\.Bd -literal/,/^\.Ed/p' |
	sed '1d;$d;s/\\e/\\/g' > "$T/example.c"
libdir=$(ls -d "$T"/lib/x86_64-linux-gnu "$T"/lib 2> /dev/null | head -1)
# shellcheck disable=SC2086
$CC -Wall -Werror -o "$T/example" "$T/example.c" -I"$T/include" "$libdir/libuspawn.a" -luring ||
	fail "libuspawn(3): the example does not build"
mkdir "$T/ex"
printf 'int a;\n' > "$T/ex/a.c"
printf 'int b = ;\n' > "$T/ex/b.c"
(cd "$T/ex" && "$T/example" > out 2> err) || fail "libuspawn(3): the example exited $?"
[ -f "$T/ex/a.o" ] && [ ! -f "$T/ex/b.o" ] && grep -q 'b.c:1' "$T/ex/b.log" && [ ! -s "$T/ex/err" ] ||
	fail "libuspawn(3): the example did not compile a.c and log b.c's error in b.log"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "ok: $n pages and $links links installed"
