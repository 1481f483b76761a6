#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mkinitramfs.sh OUT INIT [-d NAME=DIR]... [BINARY...]: pack a gzipped newc
# initramfs with INIT as /init, each BINARY as /bin/<name> and each DIR's
# files as /NAME/<file>. If a binary named khelper is given, the names it
# answers to (/bin/true, /bin/false, ...) link to it. No device nodes are
# needed: /init mounts devtmpfs itself.
set -euo pipefail

out=$1
init=$2
shift 2

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage" # the VM's / : every uid must get through it
mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
cp "$init" "$stage/init"
while [ $# -gt 0 ]; do
	case $1 in
	-d)
		name=${2%%=*}
		mkdir -p "$stage/$name"
		cp -a "${2#*=}/." "$stage/$name/"
		shift 2
		continue
		;;
	esac
	b=$1
	shift
	cp "$b" "$stage/bin/"
	if [ "$(basename "$b")" = busybox ]; then
		for n in sh rm cat ls mkdir; do ln -s busybox "$stage/bin/$n"; done
	fi
	if [ "$(basename "$b")" = khelper ]; then
		for n in true false echo touch sigblk sigpause ids status affinity uname trymkdir pdeath; do
			ln -s khelper "$stage/bin/$n"
		done
	fi
done
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
