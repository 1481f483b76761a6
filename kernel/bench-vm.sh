#!/bin/bash
# SPDX-License-Identifier: MIT
#
# bench-vm.sh BINDIR [RUNS [syscalls]]: run spawnbench (bench/, built static as
# BINDIR/spawnbench by tests/kernel) inside the VM on the patched kernel and
# print its TSV (method, state, min_us, median_us) plus the uring/vfork-engine
# and uring/posix_spawn median ratios. Numbers are measured under qemu TCG
# (emulation): compare methods within one boot only. One vCPU unless
# USPAWN_VM_CPUS says otherwise, as in the runs recorded in docs/kernel.md.
# With "syscalls": spawnbench --syscalls RUNS instead, each method's system
# calls per spawn (no timing). USPAWN_KERNEL_PATCHES picks another series
# (kernel/build.sh), e.g. the old one to compare against.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bindir=$1
runs=${2:-1000}
mode=${3:-latency}
case $mode in
latency) args="--format,tsv,--runs,$runs" ;;
syscalls) args="--format,tsv,--syscalls,$runs" ;;
*)
	echo "bench-vm: unknown mode '$mode' (want latency or syscalls)" >&2
	exit 2
	;;
esac

kernel=$("$here/build.sh" uspawn)
"$here/mkinitramfs.sh" "$bindir/bench.cpio.gz" "$bindir/kinit" \
	"$bindir/spawnbench" "$bindir/child_stamp" "$bindir/child_nop"
USPAWN_VM_CPUS=${USPAWN_VM_CPUS:-1} USPAWN_VM_MEM=${USPAWN_VM_MEM:-2G} "$here/run-vm.sh" "$kernel" "$bindir/bench.cpio.gz" \
	"$bindir/bench.log" "USPAWN_TESTS=/bin/spawnbench,$args" || {
	echo "bench-vm: the VM run failed, see $bindir/bench.log" >&2
	exit 1
}
if [ "$mode" = syscalls ]; then
	sed -n '/^method\tphase/,/^USPAWN-VERDICT/p' "$bindir/bench.log" | grep -v '^USPAWN-VERDICT\|^#'
	exit 0
fi
tsv=$(sed -n '/^method\tstate/,/^USPAWN-VERDICT/p' "$bindir/bench.log" | grep -v '^USPAWN-VERDICT\|^#')
echo "$tsv"
echo "$tsv" | awk -F'\t' 'NR > 1 { m[$1 "\t" $2] = $4; s[$2] = 1 }
	END {
		for (st in s) {
			u = m["uspawn-uring\t" st]; v = m["uspawn-vfork\t" st]; p = m["posix_spawn\t" st]
			if (u && v && p)
				printf "ratio\t%s\turing/uspawn-vfork %.2f\turing/posix_spawn %.2f\n", st, u / v, u / p
		}
	}'
