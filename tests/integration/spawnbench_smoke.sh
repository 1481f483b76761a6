#!/bin/sh
# spawnbench runs every method it offers in every parent state and prints
# one well-formed TSV row each (a smoke test: no timing is judged here;
# columns after the median are fault counts).
set -eu
bench=$1
out=$("$bench" --runs 3 --size 32 --methods fork,vfork,posix_spawn,clone-nowait,uspawn-nowait,uspawn-vfork,uspawn-posix,uspawn-fork --format tsv)
rows=$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 && NF >= 4 && $3 > 0 && $4 >= $3' | wc -l)
[ "$rows" -eq 24 ] || { echo "FAIL: want 24 rows, got:"; echo "$out"; exit 1; }
# the big parent's state is named after --size, not after the default 1 GiB
states=$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 {print $2}' | sort -u | tr '\n' ' ')
[ "$states" = "32MiB 32MiB-touched base " ] || { echo "FAIL: states '$states'"; exit 1; }
tp=$("$bench" --throughput 20 --parallel 4 --rounds 1 --methods posix_spawn,clone-nowait,uspawn-nowait,uspawn-vfork --format tsv)
[ "$(printf '%s\n' "$tp" | awk -F'\t' 'NR > 1 && $4 > 0' | wc -l)" -eq 4 ] || { echo "FAIL: $tp"; exit 1; }
# --child: a runner's floor runs real programs (a dynamic /bin/true)
tp=$("$bench" --throughput 20 --parallel 2 --rounds 1 --child /bin/true --methods vfork,clone-nowait,uspawn-nowait --format tsv)
[ "$(printf '%s\n' "$tp" | awk -F'\t' 'NR > 1 && $4 > 0' | wc -l)" -eq 3 ] || { echo "FAIL: $tp"; exit 1; }
# a child that fails is a failed run, not a fast one
for m in vfork uspawn-nowait; do
	if "$bench" --throughput 4 --parallel 2 --rounds 1 --child /bin/false --methods $m > /dev/null 2>&1; then
		echo "FAIL: $m: /bin/false children accepted"
		exit 1
	fi
done
err=$("$bench" --throughput 4 --child /nonexistent 2>&1 > /dev/null) && { echo "FAIL: missing child accepted"; exit 1; }
case $err in "spawnbench: /nonexistent: "*) ;; *) echo "FAIL: error '$err'"; exit 1 ;; esac
if "$bench" --methods nope >/dev/null 2>&1; then echo "FAIL: unknown method accepted"; exit 1; fi
echo "1 passed, 0 failed"
