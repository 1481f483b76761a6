#!/bin/sh
# uring-run against its peers: N lines of /bin/true at -j2, interleaved rounds.
#   bench/run/bench.sh [URING_RUN] ; env: SIZES="1000 10000" ROUNDS=5 PARALLEL_MAX=1000
#   TOOLS="uring-run xargs make ninja parallel" (uring-run first; drop parallel to save time)
#   more tools, not peers: uring-run-u (uring-run -u: no output pipes, as make),
#   floor and floor-vfork (the least any runner can cost: spawnbench's raw loop
#   of clone(CLONE_VM) without waiting for the exec, or of vfork, running
#   /bin/true N times, J in flight; SPAWNBENCH, default beside the build's uring-run)
# Prints a markdown table: min and median wall time per tool, and the ratio of
# each median to the best peer's median. Then uring-run's peak RSS.
set -eu
RUN=${1:-build/src/run/uring-run}
RUN=$(cd "$(dirname "$RUN")" && pwd)/$(basename "$RUN")
SIZES=${SIZES:-1000 10000}
ROUNDS=${ROUNDS:-5}
PARALLEL_MAX=${PARALLEL_MAX:-1000} # GNU parallel takes ~40 ms a job here: above this size, one round
J=${J:-2}
SPAWNBENCH=${SPAWNBENCH:-$(dirname "$RUN")/../../bench/spawnbench}
T=$(mktemp -d "${TMPDIR:-/tmp}/uring-run-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL

now() { date +%s%N; }

setup() { # setup N: the same N commands for every tool
	n=$1
	d=$T/$n
	mkdir -p "$d"
	yes /bin/true | head -n "$n" > "$d/lines"
	{
		printf 'all:'
		seq -f ' t%g' "$n" | tr -d '\n'
		printf '\n.PHONY: all\n'
		seq -f 't%g:' "$n" | sed 's/$/\n\t\/bin\/true/'
	} > "$d/Makefile"
	{
		printf 'rule run\n  command = $cmd\n'
		seq -f 'build t%g: run' "$n" | sed 's/$/\n  cmd = \/bin\/true/'
	} > "$d/build.ninja"
}

tool_cmd() { # tool_cmd TOOL DIR
	case $1 in
	uring-run) echo "$RUN -j$J $2/lines" ;;
	uring-run-u) echo "$RUN -u -j$J $2/lines" ;;
	floor | floor-vfork) # spawnbench's raw loop: clone without waiting, or vfork
		m=clone-nowait
		[ "$1" = floor ] || m=vfork
		echo "$SPAWNBENCH --throughput $(wc -l < "$2/lines") --parallel $J --rounds 1 --child /bin/true --methods $m" ;;
	xargs) echo "xargs -d '\\n' -n1 -P$J sh -c < $2/lines" ;;
	parallel) echo "parallel --will-cite -j$J < $2/lines" ;;
	make) echo "make -s -j$J -C $2 -f $2/Makefile" ;;
	ninja) echo "rm -f $2/.ninja_log $2/.ninja_deps; ninja -j$J -C $2 > /dev/null" ;;
	esac
}

one() { # one TOOL N -> seconds
	c=$(tool_cmd "$1" "$T/$2")
	t0=$(now)
	sh -c "$c" > /dev/null 2>&1 || echo "bench: $1 failed" >&2
	t1=$(now)
	echo "$(((t1 - t0) / 1000000))"
}

stats() { # stats FILE -> "min median" (ms)
	sort -n "$1" | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%d %d\n", v[1], m}'
}

case " ${TOOLS:-} " in *" floor"*)
	[ -x "$SPAWNBENCH" ] || { echo "bench.sh: $SPAWNBENCH: not executable (the floor rows need spawnbench: set SPAWNBENCH)" >&2; exit 2; } ;;
esac
echo "| lines | tool | runs | min (ms) | median (ms) | median vs best peer |"
echo "|---:|---|---:|---:|---:|---:|"
for n in $SIZES; do
	setup "$n"
	tools=${TOOLS:-uring-run xargs make ninja parallel}
	for r in $(seq "$ROUNDS"); do
		for t in $tools; do
			[ "$t" = parallel ] && [ "$n" -gt "$PARALLEL_MAX" ] && [ "$r" -gt 1 ] && continue
			one "$t" "$n" >> "$T/$n.$t"
		done
	done
	best=
	for t in $tools; do
		set -- $(stats "$T/$n.$t")
		echo "$t $1 $2" >> "$T/$n.sum"
		case $t in uring-run* | floor*) continue ;; esac
		[ -z "$best" ] || [ "$2" -lt "$best" ] && best=$2
	done
	while read -r t mn md; do
		echo "| $n | $t | $(wc -l < "$T/$n.$t") | $mn | $md | $(awk -v a="$md" -v b="$best" 'BEGIN {printf "%.2fx", a / b}') |"
	done < "$T/$n.sum"
done

# memory: 1 000 000 lines stream through; RSS stays flat
yes /bin/true | head -n 1000000 > "$T/million"
rss_dry=$(/usr/bin/time -f %M "$RUN" -n "$T/million" 2>&1 > /dev/null | tail -1)
"$RUN" -j$J "$T/million" > /dev/null 2>&1 &
pid=$!
sleep "${RSS_SECONDS:-20}"
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || true
echo
echo "Peak RSS, 1 000 000 lines: ${rss_dry} KiB read through (-n); ${hwm} KiB after running jobs for ${RSS_SECONDS:-20} s"
