#!/bin/sh
# Every tool answers --version (issue 18, item 6); uring-ninja's --help shows
# its own options before ninja's, and its --version keeps ninja's on stdout
# (CMake and meson parse it).
. "$TESTS/lib.sh"

want=$(sed -n 's/^project(uspawn VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
"$RUN" --version > "$T/o" 2> "$T/e"
check "uring-run --version: status" 0 "$?"
check "uring-run --version" "uring-run (uspawn) $want" "$(head -1 "$T/o")"
check "uring-run --version: stderr" "" "$(cat "$T/e")"
"$RUN" --help | grep -q -- '--version' || fail "uring-run --help lacks --version"

if [ -n "${NINJA_WRAP:-}" ] && command -v ninja > /dev/null; then
	[ "${SANITIZED:-0}" = 1 ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	"$NINJA_WRAP" --version > "$T/o" 2> "$T/e"
	check "uring-ninja --version: status" 0 "$?"
	check "uring-ninja --version: ninja's on stdout" "$(ninja --version)" "$(cat "$T/o")"
	check "uring-ninja --version: ours on stderr" "uring-ninja (uspawn) $want" "$(head -1 "$T/e")"
	"$NINJA_WRAP" --help > "$T/o" 2> "$T/e"
	check "uring-ninja --help: status" 0 "$?"
	check "uring-ninja --help: stderr" "" "$(cat "$T/e")"
	ours=$(grep -n -- '--jobserver' "$T/o" | head -1 | cut -d: -f1)
	theirs=$(grep -n '^usage: ninja' "$T/o" | head -1 | cut -d: -f1)
	[ -n "$ours" ] && [ -n "$theirs" ] && [ "$ours" -lt "$theirs" ] ||
		fail "uring-ninja --help: --jobserver (line '$ours') not before ninja's usage (line '$theirs'): $(cat "$T/o")"
	"$NINJA_WRAP" -h > "$T/o2" 2>&1
	cmp -s "$T/o" "$T/o2" || fail "uring-ninja -h differs from --help"
fi

done_testing
