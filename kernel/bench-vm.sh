#!/bin/bash
# SPDX-License-Identifier: MIT
#
# bench-vm.sh BINDIR [RUNS]: run spawnbench (bench/, built static as
# BINDIR/spawnbench by tests/kernel) inside the VM on the patched kernel and
# print its TSV (method, state, min_us, median_us) plus the uring/vfork-engine
# and uring/posix_spawn median ratios. Numbers are measured under qemu TCG
# (emulation): compare methods within one boot only. One vCPU unless
# USPAWN_VM_CPUS says otherwise, as in the runs recorded in docs/kernel.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bindir=$1
runs=${2:-1000}

kernel=$("$here/build.sh" uspawn)
"$here/mkinitramfs.sh" "$bindir/bench.cpio.gz" "$bindir/kinit" \
	"$bindir/spawnbench" "$bindir/child_stamp" "$bindir/child_nop"
USPAWN_VM_CPUS=${USPAWN_VM_CPUS:-1} USPAWN_VM_MEM=${USPAWN_VM_MEM:-2G} "$here/run-vm.sh" "$kernel" "$bindir/bench.cpio.gz" \
	"$bindir/bench.log" "USPAWN_TESTS=/bin/spawnbench,--format,tsv,--runs,$runs" || {
	echo "bench-vm: the VM run failed, see $bindir/bench.log" >&2
	exit 1
}
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
