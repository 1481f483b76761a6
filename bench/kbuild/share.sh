#!/bin/sh
# bench/kbuild/share.sh [SHELL]: how much of a kernel build's CPU time the
# shell takes, which bounds what any faster SHELL can save.
#
# One clean tinyconfig vmlinux build with make -j2 (make's default /bin/sh,
# or SHELL when given; with PRELOAD=libuspawn-preload.so in the environment,
# make runs under that preload; with CONFIG_SHELL_ARG=PATH, Kbuild runs its
# `$(CONFIG_SHELL) script` lines with PATH), sampled system-wide by
# `perf record -g -e cpu-clock`.
# Prints the share of the samples per command name (sh, make, cc1, as, ...),
# which shell the samples of processes named sh were in, and how many times
# each program was exec'd (sched_process_exec).
# A make -j2 build keeps both cores busy, so its wall time follows its CPU
# time: a shell that cost nothing would make it at best (1 - shell share)
# times as long. Same source, output directory and settings as run.sh.
set -eu
SHELL_ARG=${1:-}
CACHE=${USPAWN_CACHE:-/var/cache/uspawn}/kbuild
SRC=$CACHE/linux-source-6.12
OUT=$CACHE/out
LOG=$CACHE/log
TAR=/usr/src/linux-source-6.12.tar.xz

command -v perf > /dev/null || { echo "share.sh: perf missing (apt-get install linux-perf)" >&2; exit 2; }
mkdir -p "$CACHE" "$LOG"
if [ ! -f "$SRC/Makefile" ]; then
	[ -r "$TAR" ] || { echo "share.sh: $TAR missing (apt-get install linux-source-6.12)" >&2; exit 2; }
	tar -C "$CACHE" -xf "$TAR"
fi
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=uspawn KBUILD_BUILD_HOST=bench KBUILD_BUILD_VERSION=1
unset MAKEFLAGS MAKELEVEL

rm -rf "$OUT"
make -s -C "$SRC" O="$OUT" tinyconfig > "$LOG/share.config" 2>&1
set -- make -C "$SRC" O="$OUT" -j2 vmlinux
[ -n "$SHELL_ARG" ] && set -- "$@" SHELL="$SHELL_ARG"
[ -n "${CONFIG_SHELL_ARG:-}" ] && set -- "$@" CONFIG_SHELL="$CONFIG_SHELL_ARG"
[ -n "${PRELOAD:-}" ] && set -- env LD_PRELOAD="$(realpath "$PRELOAD")" "$@"
data=$LOG/share.perf
perf record -q -a -g -e cpu-clock -F 499 -e sched:sched_process_exec -o "$data" -- "$@" > "$LOG/share.build" 2>&1 || {
	tail -20 "$LOG/share.build" >&2
	echo "share.sh: build failed (log: $LOG/share.build)" >&2
	exit 1
}
echo "# linux-source-6.12 tinyconfig, make -j2 vmlinux, SHELL=${SHELL_ARG:-/bin/sh (default)}${CONFIG_SHELL_ARG:+, CONFIG_SHELL=$CONFIG_SHELL_ARG}${PRELOAD:+, LD_PRELOAD=$PRELOAD}, $(date -u +%FT%TZ)"
echo "# share of all CPU samples (both cores, 499 Hz each), samples, command name"
# the first block is cpu-clock (the second, the exec events); swapper is idle
perf report -q -n -i "$data" --sort comm --stdio --no-children -g none 2> /dev/null |
	awk '/%/ { seen = 1; print; next } seen { exit }' | head -16
echo "# the samples of processes named sh, by the first user-space code on their stack:"
echo "# dash or glibc is a /bin/sh (dash) the SHELL setting did not reach (CONFIG_SHELL scripts,"
echo "# kconfig's popen, #!/bin/sh); the static uring-sh is the shell make ran"
perf script -i "$data" --comm sh -F comm,ip,sym,dso 2> /dev/null | awk '
/^ *sh *$/ { if (inside) c[first == "" ? "(kernel only)" : first]++; inside = 1; first = ""; next }
inside && first == "" && $NF !~ /kernel/ { first = $NF }
END {
	if (inside) c[first == "" ? "(kernel only)" : first]++
	for (k in c) n += c[k]
	for (k in c) printf "%6.1f%% %7d %s\n", 100 * c[k] / n, c[k], k
}' | sort -rn | head -6
echo "# programs exec'd during the build (count, file)"
perf script -i "$data" -F event,trace 2> /dev/null | sed -n 's/.*sched_process_exec.*filename=\([^ ]*\).*/\1/p' |
	sort | uniq -c | sort -rn | head -12
rm -f "$data" "$data.old"
