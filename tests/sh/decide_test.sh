#!/bin/sh
# SPDX-License-Identifier: MIT
# The decision uring-run and the preload take for every line of the sh
# corpora (spawn directly with these argv, environment and file actions;
# uring-sh; /bin/sh) must stay the recorded one (decisions.txt). The lines
# run with difftest's environment, and $PATH is a directory holding a stub
# for each name of decisions_path.txt, so that what is found does not
# depend on what the machine has installed.
# usage: decide_test.sh DECIDE_LINES SRC_DIR [--write]
#   --write: record the decisions (and the names found on this machine's
#            /usr/bin:/bin) afresh instead of comparing
set -eu
tool=$(readlink -f "$1")
src=$(readlink -f "$2")
here=$src/tests/sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${3:-}" = --write ]; then
	# every word of the corpora that names a program here
	cat "$here"/corpus*.txt | tr -c 'A-Za-z0-9_.+-' '\n' | sort -u | while read -r w; do
		case $w in "" | .* | *.) continue ;; esac
		if [ -x "/usr/bin/$w" ] || [ -x "/bin/$w" ]; then echo "$w"; fi
	done > "$here/decisions_path.txt"
fi
mkdir "$tmp/bin" "$tmp/work"
while read -r name; do
	: > "$tmp/bin/$name"
	chmod 755 "$tmp/bin/$name"
done < "$here/decisions_path.txt"

cd "$tmp/work"
env -i PATH="$tmp/bin" HOME="$tmp/home" PWD="$tmp/work" X='x  y' E= G='*.txt' N=3 CMD=echo \
	HELLO=hello LANG=C "$tool" --dump "$here"/corpus*.txt | sed "s|$tmp|\$TMP|g" > "$tmp/got"
if [ "${3:-}" = --write ]; then
	cp "$tmp/got" "$here/decisions.txt"
	exit 0
fi
if ! diff -u "$here/decisions.txt" "$tmp/got" > "$tmp/diff"; then
	head -n 200 "$tmp/diff"
	echo "decide_test: the decisions differ from tests/sh/decisions.txt (above)"
	exit 1
fi
echo "decide_test: $(wc -l < "$tmp/got") lines decided as recorded"
