#!/bin/sh
# spawnbench runs every method it offers in every parent state and prints
# one well-formed TSV row each (a smoke test: no timing is judged here;
# columns after the median are fault counts).
set -eu
bench=$1
out=$("$bench" --runs 3 --size 32 --methods fork,vfork,posix_spawn,clone-nowait,uspawn-nowait,uspawn-vfork,uspawn-posix,uspawn-fork --format tsv)
rows=$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 && NF >= 4 && $3 > 0 && $4 >= $3' | wc -l)
[ "$rows" -eq 24 ] || { echo "FAIL: want 24 rows, got:"; echo "$out"; exit 1; }
tp=$("$bench" --throughput 20 --parallel 4 --rounds 1 --methods posix_spawn,clone-nowait,uspawn-nowait,uspawn-vfork --format tsv)
[ "$(printf '%s\n' "$tp" | awk -F'\t' 'NR > 1 && $4 > 0' | wc -l)" -eq 4 ] || { echo "FAIL: $tp"; exit 1; }
if "$bench" --methods nope >/dev/null 2>&1; then echo "FAIL: unknown method accepted"; exit 1; fi
echo "1 passed, 0 failed"
