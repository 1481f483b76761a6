#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mean wall time (us) of `SHELL -c LINE`, run N times with posix_spawn.
usage: loop.py N SHELL LINE [ENV=VALUE ...]
SHFLAGS=-v (say) is not put in the environment: its words go before -c."""
import os, sys, time

n, shell, line = int(sys.argv[1]), sys.argv[2], sys.argv[3]
env = dict(os.environ)
flags = []
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1)
    if k == "SHFLAGS":
        flags = v.split()
    else:
        env[k] = v
devnull = os.open(os.devnull, os.O_WRONLY)
acts = [(os.POSIX_SPAWN_DUP2, devnull, 1)]
t0 = time.perf_counter()
for _ in range(n):
    pid = os.posix_spawn(shell, [shell] + flags + ["-c", line], env, file_actions=acts)
    os.waitpid(pid, 0)
print(f"{(time.perf_counter() - t0) / n * 1e6:.0f}")
