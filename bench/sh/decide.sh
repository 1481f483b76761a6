#!/bin/sh
# SPDX-License-Identifier: MIT
# The per-line cost of the decision uring-run and the preload take for
# `sh -c LINE` (spawn directly, uring-sh, /bin/sh), over a corpus of real
# recipe lines: instructions per decision under callgrind (stable under
# load: only decide_one() is counted), and ns per decision (wall time: a
# figure taken on a loaded machine is provisional).
#
# usage: decide.sh DECIDE_LINES [CORPUS...]
#   DECIDE_LINES: build/bench/sh/decide-lines
#   CORPUS: difftest-format files; default: every distinct `-c` line of the
#   captures bench/coverage/run.sh leaves in $USPAWN_CACHE/coverage
#   (kernel, cmake, hello), else tests/sh/corpus_real.txt
# ROUNDS (default 20): the wall-time rounds over the corpus.
set -eu
tool=$(readlink -f "$1")
shift
here=$(dirname "$(readlink -f "$0")")
root=$here/../..
cache=${USPAWN_CACHE:-/var/cache/uspawn}/coverage
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -eq 0 ]; then
	set -- "$root/tests/sh/corpus_real.txt"
	if ls "$cache"/*.capture > /dev/null 2>&1; then
		python3 "$root/bench/coverage/corpus.py" --per-shape 1000000000 "$cache"/*.capture \
			> "$tmp/captured.txt"
		set -- "$tmp/captured.txt"
	fi
fi
# a build's environment: a login's variables and make's (the same for every run)
run() {
	env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/build PWD="$PWD" LANG=C.UTF-8 \
		SHELL=/bin/sh USER=build LOGNAME=build TERM=xterm-256color SHLVL=1 \
		MAKEFLAGS=' -j2 --jobserver-auth=fifo:/tmp/GMfifo1' MAKELEVEL=1 MFLAGS=-j2 \
		MAKE_TERMOUT=/dev/pts/0 MAKE_TERMERR=/dev/pts/0 \
		XDG_RUNTIME_DIR=/run/user/1000 XDG_SESSION_ID=1 MAIL=/var/mail/build \
		SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22' SSH_CLIENT='10.0.0.1 50000 22' \
		SSH_TTY=/dev/pts/0 LESSOPEN='| /usr/bin/lesspipe %s' OLDPWD=/home/build \
		EDITOR=vi PAGER=less CC=gcc CFLAGS='-O2 -g' KBUILD_VERBOSE=0 "$@"
}
for c; do shift; set -- "$@" "$(readlink -f "$c")"; done
cd "$tmp"
run "$tool" --dump "$@" > dump 2> counts
echo "corpus: $* ($(sed 's/^decide-lines: //' counts))"
command -v valgrind > /dev/null || { echo "decide.sh: valgrind is needed" >&2; exit 2; }
# the lines by how they go (the same under the old and the new code)
awk -F '\t' '$1 == "direct" { print $2 > "direct.txt"; next } { print $2 > "other.txt" }' dump
# instructions per decision in decide_one(), for a corpus
per_line() {
	run valgrind --tool=callgrind --toggle-collect=decide_one --callgrind-out-file="$tmp/cg" \
		"$tool" --once "$@" > /dev/null 2> "$tmp/vg" || { cat "$tmp/vg" >&2; exit 1; }
	n=$(sed -n 's/^decide-lines: \([0-9]*\) lines.*/\1/p' "$tmp/vg")
	ir=$(awk '/^summary:/ { print $2 }' "$tmp/cg")
	awk -v ir="$ir" -v n="$n" 'BEGIN { printf "%9.0f instructions per line (%d lines)", n ? ir / n : 0, n }'
}
echo "callgrind, decide_one():"
echo "  all lines     $(per_line "$@")"
[ -s direct.txt ] && echo "  direct lines  $(per_line "$tmp/direct.txt")"
[ -s other.txt ] && echo "  other lines   $(per_line "$tmp/other.txt")"
echo "wall time (provisional under load): $(run "$tool" --time "${ROUNDS:-20}" "$@")"
