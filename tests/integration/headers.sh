#!/bin/sh
# The installed public headers, uspawn.h and uspawn/jobserver.h, each
# compile alone as the first include of a C99, C11 or C++ program (strict,
# no feature macros: sigset_t is POSIX, not ISO C), and a C++ program links
# against the library.
# Usage: headers.sh BUILD_DIR [EXTRA_CFLAGS]
set -eu
build=$1
extra=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
inc=$tmp/prefix/include
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
for h in uspawn.h uspawn/jobserver.h; do
	[ -f "$inc/$h" ] || { fail "$h is not installed"; continue; }
	printf '#include <%s>\nint main(void) { struct uspawn_cmd c; uspawn_cmd_init(&c); return (int)c.flags; }\n' \
		"$h" >"$tmp/use.c"
	for std in c99 c11 gnu99; do
		# shellcheck disable=SC2086
		cc -std=$std -pedantic -Wall -Wextra -Werror $extra -I"$inc" -c -o "$tmp/use.o" "$tmp/use.c" 2>"$tmp/err" ||
			fail "$h alone, -std=$std: $(head -3 "$tmp/err")"
	done
	cp "$tmp/use.c" "$tmp/use.cc"
	for std in c++11 c++17; do
		# shellcheck disable=SC2086
		c++ -std=$std -pedantic -Wall -Wextra -Werror $extra -I"$inc" -c -o "$tmp/use.o" "$tmp/use.cc" 2>"$tmp/err" ||
			fail "$h alone, -std=$std: $(head -3 "$tmp/err")"
	done
done
# strict ISO C sees the same struct uspawn_cmd as the library
cat >"$tmp/layout.c" <<'C'
#include <stddef.h>
#include <stdio.h>
#include <uspawn.h>
int main(void)
{
	printf("%zu %zu %zu\n", sizeof(struct uspawn_cmd), offsetof(struct uspawn_cmd, sigdefault),
	       offsetof(struct uspawn_cmd, user_data));
	return 0;
}
C
for std in c99 gnu11; do
	# shellcheck disable=SC2086
	cc -std=$std $extra -I"$inc" -o "$tmp/layout-$std" "$tmp/layout.c" && "$tmp/layout-$std" >"$tmp/$std.txt" ||
		fail "layout program, -std=$std"
done
cmp -s "$tmp/c99.txt" "$tmp/gnu11.txt" ||
	fail "struct uspawn_cmd differs in strict C99 ($(cat "$tmp/c99.txt")) and with POSIX ($(cat "$tmp/gnu11.txt"))"
# a C++ program calls the library by its C names
libdir=$(dirname "$(find "$tmp/prefix" -name libuspawn.a | head -1)")
# shellcheck disable=SC2086
c++ $extra -I"$inc" -o "$tmp/use" "$tmp/use.cc" "$libdir/libuspawn.a" -luring 2>"$tmp/err" && "$tmp/use" ||
	fail "a C++ program against libuspawn.a: $(head -3 "$tmp/err")"
[ $fails = 0 ] || exit 1
echo "1 passed, 0 failed"
