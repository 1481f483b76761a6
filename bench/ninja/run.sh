#!/bin/sh
# bench/ninja/run.sh URING_NINJA SIZES ROUNDS [JOBS]: ninja vs uring-ninja on
# generated build.ninja files of SIZES small edges (a quarter each of
# `cp`, `touch`, `echo > f`, `mkdir -p`), interleaved ROUNDS times, from
# clean each time. Prints one row per size: min and median seconds and
# the ratio uring-ninja / ninja.
set -eu
URING_NINJA=$1
SIZES=${2:-"2000 10000"}
ROUNDS=${3:-3}
JOBS=${4:-2}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ninja-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

gen() {
	n=$1
	{
		printf 'rule cp\n  command = cp $in $out\n'
		printf 'rule touch\n  command = touch $out\n'
		printf 'rule echo\n  command = echo $out > $out\n'
		printf 'rule mkdir\n  command = mkdir -p $out\n'
		i=0
		while [ $i -lt $((n / 4)) ]; do
			printf 'build t%d: touch\nbuild c%d: cp t%d\nbuild e%d: echo\nbuild d%d/x: mkdir\n' \
				$i $i $i $i $i
			i=$((i + 1))
		done
	} > "$WORK/build.ninja.in"
}

# one clean build with TOOL; prints its wall time in seconds
timed() {
	rm -rf "$WORK/b"
	mkdir "$WORK/b"
	cp "$WORK/build.ninja.in" "$WORK/b/build.ninja"
	s=$(date +%s.%N)
	(cd "$WORK/b" && "$@" -j"$JOBS" > /dev/null)
	e=$(date +%s.%N)
	echo "$s $e" | awk '{printf "%.3f\n", $2 - $1}'
}

stats() { # min median of the numbers on stdin
	sort -n | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.3f %.3f", v[1], m}'
}

echo "# ninja $(ninja --version), -j$JOBS, $ROUNDS rounds interleaved, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %-22s %-22s %s\n' edges "ninja min/median s" "uring-ninja min/median s" "ratio (median)"
for n in $SIZES; do
	gen "$n"
	: > "$WORK/t.ninja"
	: > "$WORK/t.uring"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		timed ninja >> "$WORK/t.ninja"
		timed "$URING_NINJA" >> "$WORK/t.uring"
		r=$((r + 1))
	done
	a=$(stats < "$WORK/t.ninja")
	b=$(stats < "$WORK/t.uring")
	echo "$n $a $b" | awk '{printf "%-7s %-22s %-22s %.2fx (min %.2fx)\n", $1, $2" / "$3, $4" / "$5, $5/$3, $4/$2}'
done
