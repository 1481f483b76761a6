# Shared by the ninja tests: $URING_NINJA, $PRELOAD, $TESTS from ctest.
set -u
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ninja-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ -x "$URING_NINJA" ] || fail "no uring-ninja at $URING_NINJA"
[ -r "$PRELOAD" ] || fail "no preload at $PRELOAD"

# Hash every file under dir (names and contents), for "the same outputs".
tree_hash() {
	(cd "$1" && find . -type f ! -name '.ninja_*' ! -name 'console.*' | LC_ALL=C sort |
		xargs -r sha256sum) | sha256sum | cut -d' ' -f1
}
