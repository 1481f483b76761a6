#!/bin/bash
# SPDX-License-Identifier: MIT
#
# run-vm.sh BZIMAGE INITRAMFS LOG [WORD...]: boot the kernel under qemu (TCG,
# two CPUs, no network card), let /init run the tests and power off, keep the
# serial log in LOG and turn it into a verdict:
#   0  /init printed "USPAWN-VERDICT: PASS" and the kernel logged no
#      WARN/BUG/oops/KASAN/lockdep/kmemleak/hung-task report
#   1  anything else (test failure, kernel report, no verdict, timeout)
# WORDs go on the kernel command line; unknown key=value words reach /init's
# environment (e.g. USPAWN_TESTS=...).
# Environment: USPAWN_VM_TIMEOUT (seconds, default 900), USPAWN_VM_MEM (512M),
# USPAWN_VM_CPUS (2: races need a second CPU to happen).
set -uo pipefail

kernel=$1
initrd=$2
log=$3
shift 3

timeout_s=${USPAWN_VM_TIMEOUT:-900}
mem=${USPAWN_VM_MEM:-512M}

timeout --foreground -k 10 "$timeout_s" \
	qemu-system-x86_64 -accel tcg -nographic -no-reboot -nic none \
	-m "$mem" -smp "${USPAWN_VM_CPUS:-2}" -kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic quiet loglevel=4 $*" \
	</dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

status=0
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "run-vm: timed out after ${timeout_s}s" >&2
	status=1
fi
reports='WARNING:|BUG:|Oops|stall on CPU|detected stalls|Kernel panic|KASAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lockdep|unreferenced object|kmemleak: [0-9]+ new suspected|blocked for more than|general protection fault|Call Trace:'
if grep -E "$reports" "$log" >/dev/null; then
	echo "run-vm: the kernel reported a problem:" >&2
	grep -E -n -A3 "$reports" "$log" | head -60 >&2
	status=1
fi
if ! grep -q '^USPAWN-VERDICT: PASS' "$log"; then
	echo "run-vm: no PASS verdict in $log" >&2
	grep -E '^(not ok|USPAWN-VERDICT)' "$log" >&2
	status=1
fi
exit $status
