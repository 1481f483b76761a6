#!/bin/sh
# Build the ush fuzz target with clang (libFuzzer + ASan + UBSan) and run it
# for a bounded number of inputs. Exit 77 (skipped) when clang or libFuzzer
# is missing.
# usage: fuzz.sh SOURCE_DIR WORK_DIR [RUNS [SEED]]
# The test's run is a count with a fixed seed, not a time: the same commit
# explores the same inputs on a fast or a loaded machine. SEED 0 is
# libFuzzer's random seed, for a long exploring run by hand; a crash it
# finds goes into tests/sh/fuzz_crashes.
set -e
src=$1 work=$2 runs=${3:-100000} seed=${4:-1}
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then
	echo "fuzz: clang not found, skipping"
	exit 77
fi
mkdir -p "$work"
# the ush library: what ush_decide() needs (src/sh/CMakeLists.txt's ush target)
sh_src="arena.c env.c path.c fmt.c state/vars.c state/view.c builtins/names.c"
files=
for f in $sh_src "$src"/src/sh/syntax/*.c "$src"/src/sh/expand/*.c "$src"/src/sh/decide/*.c; do
	case $f in /*) files="$files $f" ;; *) files="$files $src/src/sh/$f" ;; esac
done
if ! "$cc" -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I"$src/src/sh" -I"$src/include" \
	$files "$src/tests/sh/fuzz_parse.c" -o "$work/fuzz_parse"; then
	echo "fuzz: cannot build with $cc (libclang-rt-14-dev missing?), skipping"
	exit 77
fi
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# failed WHAT: the end of the fuzzer's log, then the verdict
failed() {
	tail -n 60 "$work/log"
	echo "fuzz: FAILED$1"
	exit 1
}
# inputs that once failed run first, each on its own
for f in "$src"/tests/sh/fuzz_crashes/*; do
	"$work/fuzz_parse" "$f" > "$work/log" 2>&1 ||
		failed " on ${f##*/} (tests/sh/fuzz_crashes)"
done
# seed with the differential corpus, one line per file, in a fresh corpus
# (libFuzzer adds what it finds there: a second run would start elsewhere)
rm -rf "$work/corpus"
mkdir -p "$work/corpus"
i=0
cat "$src"/tests/sh/corpus*.txt | grep -v '^##' | while IFS= read -r l; do
	i=$((i + 1))
	printf '%s' "$l" | sed 's/@NL@/\n/g' > "$work/corpus/seed$i"
done
if ! "$work/fuzz_parse" -runs="$runs" -seed="$seed" -max_len=512 -timeout=10 \
	-print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" > "$work/log" 2>&1; then
	failed ""
fi
tail -n 12 "$work/log"
