#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn capture-sh logs (see capture.c) into difftest corpus lines.

usage: corpus.py [--per-shape N] [--map FROM=TO ...] LOG... > corpus_real.txt

Every `-c LINE` invocation becomes one corpus line. Absolute paths of the
build are mapped to relative ones (--map) so that a line replayed in the
difftest fixture stays inside it. Lines are grouped by shape (the line with
every word replaced by W): at most N distinct lines per shape are kept, so
that thousands of compile lines become a few representatives each.
"""
import argparse, re, sys


def records(path):
    d = open(path, "rb").read()
    i = 0
    while i < len(d):
        j = d.index(b"\n", i)
        n = int(d[i:j])
        i = j + 1
        args = []
        for _ in range(n):
            j = d.index(b":", i)
            ln = int(d[i:j])
            i = j + 1
            args.append(d[i:i + ln].decode("utf-8", "replace"))
            i += ln + 1
        yield args


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--per-shape", type=int, default=3)
    ap.add_argument("--map", action="append", default=[])
    args = ap.parse_args()
    maps = [m.split("=", 1) for m in args.map]
    maps.sort(key=lambda m: -len(m[0]))  # longest prefix first
    for log in args.logs:
        seen, shapes = set(), {}
        out = []
        for argv in records(log):
            if len(argv) != 2 or argv[0] not in ("-c", "-ec", "-e"):
                continue
            line = argv[1]
            for a, b in maps:
                line = line.replace(a, b)
            if line in seen or "@NL@" in line:
                continue
            seen.add(line)
            shape = re.sub(r"[\w./+-]+", "W", line)
            if shapes.get(shape, 0) >= args.per_shape:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            out.append(line.replace("\n", "@NL@"))
        print(f"## captured from {log.rsplit('/', 1)[-1]}: {len(out)} lines")
        for line in out:
            print(line)


if __name__ == "__main__":
    main()
