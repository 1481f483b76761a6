#!/bin/sh
# bench/kbuild/run.sh URING_SH PRELOAD [ROUNDS]: build Debian's
# linux-source-6.12 (tinyconfig, vmlinux) with `make -j2` several ways,
# interleaved, from clean each time, in the same output directory (so
# paths match). Prints wall times, ratios to stock, and the hash of
# vmlinux and of all object files for each run: they must be equal.
#
# The ways (CONFIGS, default "stock sh-named preload"; stock must come first,
# it is the ratios' base):
#   stock     make's default /bin/sh (dash)
#   sh-named  SHELL=uring-sh reached through a file named sh (as the installed
#             libexec/uspawn/sh): make skips `:` lines as for /bin/sh
#   sh-noself sh-named with USPAWN_SH_SELF=0: a line's own `sh script` runs
#             dash, as before uring-sh stood in for /bin/sh
#   sh-all    sh-named, and CONFIG_SHELL the same: Kbuild's own knob for the
#             shell that runs its scripts (`$(CONFIG_SHELL) script`, default
#             `sh`, that is dash), e.g. arch/x86/kernel/cpu/mkcapflags.sh,
#             which forks ~5 000 times
#   uring-sh  SHELL=URING_SH as given: make runs every line, `:` included
#   preload   LD_PRELOAD=libuspawn-preload.so, make's own SHELL
# KTARGET (default vmlinux) builds less when time is short, e.g. "kernel/ mm/";
# then only the object files are compared.
# The uring-sh and sh-named runs also record USPAWN_SH_STATS: the share of the build's
# shell invocations uring-sh ran natively is printed at the end.
# The source is extracted once into $USPAWN_CACHE/kbuild (outside the repo).
# A build takes both cores for minutes: run it when nobody else measures.
set -eu
# make -C changes directory: the paths must be absolute
URING_SH=$(realpath "$1")
PRELOAD=$(realpath "$2")
ROUNDS=${3:-1}
KTARGET=${KTARGET:-vmlinux}
CONFIGS=${CONFIGS:-stock sh-named preload}
CACHE=${USPAWN_CACHE:-/var/cache/uspawn}/kbuild
SRC=$CACHE/linux-source-6.12
OUT=$CACHE/out
LOG=$CACHE/log
TAR=/usr/src/linux-source-6.12.tar.xz

[ -x "$URING_SH" ] || { echo "run.sh: $URING_SH: not executable" >&2; exit 2; }
[ -r "$PRELOAD" ] || { echo "run.sh: $PRELOAD: not readable" >&2; exit 2; }
mkdir -p "$CACHE" "$LOG" "$CACHE/sh-named"
ln -sf "$URING_SH" "$CACHE/sh-named/sh"
if [ ! -f "$SRC/Makefile" ]; then
	[ -r "$TAR" ] || { echo "run.sh: $TAR missing (apt-get install linux-source-6.12)" >&2; exit 2; }
	tar -C "$CACHE" -xf "$TAR"
fi

# reproducible: the same vmlinux from every run
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=uspawn KBUILD_BUILD_HOST=bench KBUILD_BUILD_VERSION=1
unset MAKEFLAGS MAKELEVEL

# CPU time the whole machine spent (user, nice, system, irq, softirq), in ticks
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

# one clean build of config $1; prints "seconds vmlinux-hash objects-hash objects cpu-seconds"
build() {
	cfg=$1
	rm -rf "$OUT"
	make -s -C "$SRC" O="$OUT" tinyconfig > "$LOG/$cfg.config" 2>&1
	case $cfg in
	stock) set -- make ;;
	uring-sh) set -- env USPAWN_SH_STATS="$LOG/$cfg.stats" make SHELL="$URING_SH" ;;
	sh-named) set -- env USPAWN_SH_STATS="$LOG/$cfg.stats" make SHELL="$CACHE/sh-named/sh" ;;
	sh-noself) set -- env USPAWN_SH_SELF=0 USPAWN_SH_STATS="$LOG/$cfg.stats" \
		make SHELL="$CACHE/sh-named/sh" ;;
	sh-all) set -- env USPAWN_SH_STATS="$LOG/$cfg.stats" make SHELL="$CACHE/sh-named/sh" \
		CONFIG_SHELL="$CACHE/sh-named/sh" ;;
	preload) set -- env LD_PRELOAD="$PRELOAD" make ;;
	*) echo "run.sh: $cfg: unknown configuration" >&2; exit 2 ;;
	esac
	s=$(date +%s.%N)
	c=$(busy)
	# shellcheck disable=SC2086
	"$@" -C "$SRC" O="$OUT" -j2 $KTARGET > "$LOG/$cfg.build" 2>&1 || {
		tail -20 "$LOG/$cfg.build" >&2
		echo "run.sh: $cfg: build failed (log: $LOG/$cfg.build)" >&2
		exit 1
	}
	e=$(date +%s.%N)
	c=$(($(busy) - c))
	v=-
	[ -f "$OUT/vmlinux" ] && v=$(sha256sum < "$OUT/vmlinux" | cut -c1-16)
	o=$(cd "$OUT" && find . -name '*.o' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
	n=$(cd "$OUT" && find . -name '*.o' | wc -l)
	echo "$s $e $v $o $n $c $(getconf CLK_TCK)" |
		awk '{printf "%.1f %s %s %s %.1f\n", $2 - $1, $3, $4, $5, $6 / $7}'
}

echo "# linux-source-6.12 tinyconfig, make -j2 $KTARGET, $ROUNDS round(s), $(nproc) cores," \
	"load before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
: > "$LOG/results"
rm -f "$LOG/uring-sh.stats" "$LOG/sh-named.stats" "$LOG/sh-noself.stats" "$LOG/sh-all.stats"
r=0
while [ $r -lt "$ROUNDS" ]; do
	for cfg in $CONFIGS; do
		res=$(build $cfg) || exit 1
		echo "$cfg $res" | tee -a "$LOG/results" >&2
	done
	r=$((r + 1))
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-8s %-7s %-8s %-7s %-17s %-17s %s\n' config "wall s" ratio "cpu s" ratio vmlinux objects "(.o files)"
awk -v nc="$(echo $CONFIGS | wc -w)" '$1 == "stock" {s[++ns] = $2; u[ns] = $6}
{c[NR] = $1; t[NR] = $2; v[NR] = $3; o[NR] = $4; n[NR] = $5; p[NR] = $6}
END {
	for (i = 1; i <= NR; i++) {
		k = int((i - 1) / nc) + 1
		printf "%-9s %-8s %-7s %-8s %-7s %-17s %-17s %s\n", c[i], t[i], sprintf("%.3fx", t[i] / s[k]),
			p[i], sprintf("%.3fx", p[i] / u[k]), v[i], o[i], n[i]
	}
}' "$LOG/results"
# per config: median of the rounds' ratios to their own stock run, wall and CPU
awk -v nc="$(echo $CONFIGS | wc -w)" '{c[NR] = $1; t[NR] = $2; p[NR] = $6}
function median(list, n, v, a, b, x) {
	n = split(list, v, " ")
	for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (v[b] < v[a]) { x = v[a]; v[a] = v[b]; v[b] = x }
	return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
END {
	for (i = 1; i <= NR; i++) {
		k = int((i - 1) / nc) * nc + 1
		r[c[i]] = r[c[i]] " " t[i] / t[k]
		q[c[i]] = q[c[i]] " " p[i] / p[k]
	}
	for (k in r)
		printf "median %-9s wall %.3fx, cpu %.3fx (%d rounds)\n", k, median(r[k]), median(q[k]), split(r[k], x, " ")
}' "$LOG/results"
for cfg in uring-sh sh-named sh-noself sh-all; do
	f=$LOG/$cfg.stats
	[ -f "$f" ] || continue
	t=$(grep -c '' "$f")
	n=$(grep -c '^native' "$f" || true)
	echo "$cfg: $n of $t shell invocations native ($(awk -v n="$n" -v t="$t" 'BEGIN { printf "%.1f", 100 * n / t }')%); top delegation reasons:"
	grep -v '^native' "$f" | sort | uniq -c | sort -rn | head -5
done
if [ "$(cut -d' ' -f3,4 "$LOG/results" | sort -u | wc -l)" -eq 1 ]; then
	echo "identical: every run produced the same object files (and vmlinux, when built)"
else
	echo "DIFFERENT outputs between runs" >&2
	exit 1
fi
