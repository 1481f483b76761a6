#!/bin/bash
# SPDX-License-Identifier: MIT
#
# configure.sh SRC BUILD FRAGMENT...: tinyconfig plus the fragments, merged
# with merge_config.sh -n (everything not named stays off), then check that
# every symbol a fragment sets to y really came out =y: merge_config drops
# symbols whose dependencies are off without failing.
# Skips the work when BUILD/.config was made from the same fragments.
set -euo pipefail

src=$(realpath "$1")
build=$(realpath -m "$2")
shift 2
frags=()
for f in "$@"; do frags+=("$(realpath "$f")"); done
set -- "${frags[@]}"

stamp=$(cat "$@" | sha256sum | cut -c1-16)
if [ -f "$build/.config" ] && [ "$(cat "$build/.uspawn-config" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

mkdir -p "$build"
make -s -C "$src" O="$build" tinyconfig >"$build/configure.log" 2>&1
(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$build" "$build/.config" "$@") \
	>>"$build/configure.log" 2>&1

missing=0
for f in "$@"; do
	for sym in $(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/\1/p' "$f"); do
		if ! grep -qx "$sym=y" "$build/.config"; then
			echo "kernel/configure.sh: $sym from $(basename "$f") is not =y after merging" >&2
			missing=1
		fi
	done
done
[ $missing = 0 ] || exit 1
echo "$stamp" >"$build/.uspawn-config"
