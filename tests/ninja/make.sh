# make 4.3 with the preload builds a project exactly as plain make does:
# console output, exit status, files; -k with a failing command; -j2.
. "$TESTS/lib.sh"

run() {
	tag=$1
	shift
	rm -rf "$TMP/$tag"
	cp -r "$TESTS/make" "$TMP/$tag"
	(cd "$TMP/$tag" && "$@" make -j1 --no-print-directory) > "$TMP/$tag.out" 2>&1
	echo "exit $?" >> "$TMP/$tag.out"
	(cd "$TMP/$tag" && "$@" make -k -j1 --no-print-directory broken all) >> "$TMP/$tag.out" 2>&1
	echo "exit $?" >> "$TMP/$tag.out"
	echo "tree $(tree_hash "$TMP/$tag")" >> "$TMP/$tag.out"
	# in parallel: the same files
	(cd "$TMP/$tag" && "$@" make clean >/dev/null && "$@" make -j2 >/dev/null 2>&1)
	echo "tree -j2 $(tree_hash "$TMP/$tag")" >> "$TMP/$tag.out"
}

run plain env
run preload env LD_PRELOAD="$PRELOAD" USPAWN_PRELOAD_TRACE="$TMP/trace"
diff -u "$TMP/plain.out" "$TMP/preload.out" || fail "make with the preload differs"
grep -q '^direct ' "$TMP/trace" || fail "make: nothing spawned directly"
echo "ok: $(cut -d' ' -f1 "$TMP/trace" | sort | uniq -c | tr '\n' ' ')"
