#!/bin/sh
# bench/distcc/run.sh URING_RUN URING_SH [ROUNDS]: the C project of
# tests/distcc (NDIRS x NFILES + 1 translation units) built over distccd
# servers on loopback addresses of this machine, at each -j of JOBS, three
# ways, from clean each time, in interleaved rounds:
#   make      make -jN objs CC="distcc gcc"                (make's /bin/sh)
#   uring-sh  make -jN objs CC="distcc gcc" SHELL=URING_SH (libexec/uspawn/sh)
#   uring-run uring-run -jN on the compile lines           (spawned directly)
# make runs each line as CMake's Makefiles write it (`cd TOP && distcc gcc
# ... -c dK/fI.c -o dK/fI.o`, so stock make needs /bin/sh); uring-run gets
# the same compile commands without the `cd` (its jobs run in TOP).
# Prints min and median wall time and local CPU time (user + system of the
# build's whole process tree: make, shells, the distcc clients and the
# preprocessors they run; the servers are not in it) with the medians as
# ratios to make's (the first of WAYS) at the same -j, and the CPU time of the whole machine
# (/proc/stat: the servers' compiles and anything else running).
# Every build must make the same objects, every object compiled by a server.
# Env: JOBS (default "8 16 32"), SERVERS (2), SLOTS (per server, default
# the largest -j / SERVERS), NDIRS (4), NFILES (50), WAYS.
set -eu
RUN=$(realpath "$1")
SH=$(realpath "$2")
ROUNDS=${3:-3}
JOBS=${JOBS:-8 16 32}
SERVERS=${SERVERS:-2}
NDIRS=${NDIRS:-4}
NFILES=${NFILES:-50}
WAYS=${WAYS:-make uring-sh uring-run}
src=$(cd "$(dirname "$0")/../.." && pwd)
maxj=0
for j in $JOBS; do [ "$j" -gt "$maxj" ] && maxj=$j; done
SLOTS=${SLOTS:-$(((maxj + SERVERS - 1) / SERVERS))}
for p in distcc distccd make gcc; do
	command -v "$p" > /dev/null || { echo "run.sh: $p missing (scripts/packages/distcc.txt)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time missing (Debian package time)" >&2; exit 2; }

. "$src/tests/distcc/lib.sh"
DT=$(mktemp -d "${TMPDIR:-/tmp}/uspawn-distcc-bench.XXXXXX")
chmod 755 "$DT"
trap 'dist_stop_all; rm -rf "$DT"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unset MAKEFLAGS MFLAGS MAKELEVEL
P=$DT/proj
gen_project "$P" "$NDIRS" "$NFILES"
NOBJ=$((NDIRS * NFILES + 1))
project_lines "$P" "distcc gcc" > "$DT/jobs.txt"

dist_init
k=0
while [ "$k" -lt "$SERVERS" ]; do
	dist_start_loop "$k" "$SLOTS"
	k=$((k + 1))
done
export DISTCC_HOSTS="${DIST_HOSTS# }" DISTCC_DIR="$DT/distcc" DISTCC_FALLBACK=0
mkdir -p "$DISTCC_DIR"

busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
hz=$(getconf CLK_TCK)
compiles() {
	t=0 k=0
	while [ "$k" -lt "$SERVERS" ]; do
		t=$((t + $(dist_compiles "$k")))
		k=$((k + 1))
	done
	echo "$t"
}

# build WAY J: one clean build; appends "way j wall cpu machine-cpu hash" to $DT/results
build() {
	make -C "$P" -s clean
	case $1 in
	make) set -- "$1" "$2" make -C "$P" -s -j"$2" objs CC="distcc gcc" ;;
	uring-sh) set -- "$1" "$2" make -C "$P" -s -j"$2" objs CC="distcc gcc" SHELL="$SH" ;;
	uring-run) set -- "$1" "$2" sh -c 'cd "$1" && exec "$2" -j"$3" "$4"' - "$P" "$RUN" "$2" "$DT/jobs.txt" ;;
	*) echo "run.sh: $1: unknown way" >&2; exit 2 ;;
	esac
	way=$1 j=$2
	shift 2
	c0=$(compiles)
	m0=$(busy)
	/usr/bin/time -o "$DT/time" -f '%e %U %S' "$@" > "$DT/log" 2>&1 || {
		cat "$DT/log" >&2
		echo "run.sh: $way -j$j: build failed" >&2
		exit 1
	}
	m1=$(busy)
	served=$(($(compiles) - c0))
	[ "$served" -eq "$NOBJ" ] || {
		echo "run.sh: $way -j$j: the servers compiled $served of $NOBJ objects" >&2
		exit 1
	}
	hash=$(cd "$P" && sha256sum main.o d*/*.o | sha256sum | cut -c1-16)
	read -r wall user sys < "$DT/time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
	mcpu=$(awk -v a="$m0" -v b="$m1" -v hz="$hz" 'BEGIN {printf "%.2f", (b - a) / hz}')
	echo "$way $j $wall $cpu $mcpu $hash" >> "$DT/results"
	printf '  round %s  -j%-3s %-9s wall %6.2f s  local cpu %6.2f s  machine cpu %6.2f s\n' \
		"$r" "$j" "$way" "$wall" "$cpu" "$mcpu" >&2
}

echo "# bench/distcc: $NOBJ units, $SERVERS distccd on loopback x $SLOTS slots, -j $JOBS, $ROUNDS round(s), $(nproc) cores"
echo "# $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$src" rev-parse --short HEAD 2> /dev/null || echo '?'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$DT/results"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for j in $JOBS; do
		for w in $WAYS; do build "$w" "$j"; done
	done
	r=$((r + 1))
done

# min and median of column $3 for way $1 at -j $2
minmed() {
	awk -v w="$1" -v j="$2" '$1 == w && $2 == j {print $'"$3"'}' "$DT/results" | sort -g |
		awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", v[1], m}'
}
printf '%-4s %-10s %-17s %-7s %-17s %-7s %s\n' -j way 'wall min/med s' ratio 'local cpu min/med' ratio 'machine cpu med s'
for j in $JOBS; do
	base_w="" base_c=""
	for w in $WAYS; do
		# shellcheck disable=SC2046
		set -- $(minmed "$w" "$j" 3) $(minmed "$w" "$j" 4) $(minmed "$w" "$j" 5)
		[ -n "$base_w" ] || { base_w=$2 base_c=$4; }
		printf '%-4s %-10s %7.2f / %-7.2f %5.3fx  %7.2f / %-7.2f %5.3fx  %.1f\n' "$j" "$w" "$1" "$2" \
			"$(awk -v a="$2" -v b="$base_w" 'BEGIN {print a / b}')" "$3" "$4" \
			"$(awk -v a="$4" -v b="$base_c" 'BEGIN {print a / b}')" "$6"
	done
done
if [ "$(cut -d' ' -f6 "$DT/results" | sort -u | wc -l)" -eq 1 ]; then
	echo "identical: every build made the same $NOBJ objects ($(cut -d' ' -f6 "$DT/results" | head -1)), all compiled by the servers"
else
	echo "DIFFERENT objects between builds:" >&2
	cat "$DT/results" >&2
	exit 1
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
