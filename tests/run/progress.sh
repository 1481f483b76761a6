#!/bin/sh
# --bar and --eta (issue 18, item 4): on a terminal a progress bar with the
# ETA, redrawn in place and cleared at the end; nothing when stderr is no
# terminal. The terminal is a pty (python3's pty module).
. "$TESTS/lib.sh"

command -v python3 > /dev/null || { echo "SKIP: python3 is not installed"; exit 0; }
for i in $(seq 12); do echo "sleep 0.1; echo out$i"; done > "$T/jobs"

# on_pty OUT ARGS...: uring-run with stderr on a pty (stdout to a file); the
# pty's bytes into OUT, the status into OUT.rc
on_pty() {
	out=$1
	shift
	python3 - "$out" "$RUN" "$@" <<'PY'
import os, pty, sys
out, argv = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()
    fd = os.open(out + ".stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    os.dup2(slave, 2)
    os.execv(argv[0], argv)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(out, "wb").write(data)
open(out + ".rc", "w").write(str(os.waitstatus_to_exitcode(status)))
PY
}

for opt in --bar --eta; do
	on_pty "$T/tty" -j2 $opt "$T/jobs"
	check "$opt: status" 0 "$(cat "$T/tty.rc")"
	check "$opt: stdout" 12 "$(grep -c '^out' "$T/tty.stdout")"
	python3 - "$T/tty" "$opt" <<'PY' || fail "$opt on a terminal: $(od -c "$T/tty" | head -20)"
import re, sys
data = open(sys.argv[1], "rb").read().decode()
opt = sys.argv[2]
assert data.endswith("\r\x1b[K"), "the line is not cleared at the end"
frames = [f for f in data.split("\r") if f.strip("\x1b[K")]
assert len(frames) >= 2, frames                      # redrawn in place
last = frames[-1]
if opt == "--bar":
    assert re.search(r"100% \[=+\] 12/12", last), last  # a full bar at the end
    assert any(re.search(r"\d+% \[=*>? *\] \d+/12 ETA \d+:\d\d", f) for f in frames), frames
else:
    assert re.search(r"ETA: \d+s Left: 0 AVG: \d+\.\d\ds", last), last
    assert any(re.search(r"ETA: \d+s Left: \d+ AVG", f) for f in frames), frames
PY
	# no terminal: nothing
	"$RUN" -j2 $opt "$T/jobs" > "$T/o" 2> "$T/e"
	check "$opt off a terminal: stderr" "" "$(cat "$T/e")"
	check "$opt off a terminal: stdout" 12 "$(grep -c '^out' "$T/o")"
done

# a job's output clears the bar first: no line starts inside a bar
for i in 1 2 3; do echo "echo err$i >&2; sleep 0.2"; done > "$T/jobs2"
on_pty "$T/tty" -j1 --bar "$T/jobs2"
python3 - "$T/tty" <<'PY' || fail "output mixed into the bar: $(od -c "$T/tty" | head)"
import sys
data = open(sys.argv[1], "rb").read().decode()
for n in (1, 2, 3):
    i = data.index("err%d" % n)
    assert data[i - 4:i] == "\r\x1b[K" or data[i - 1] == "\n", repr(data[i - 20:i + 5])
PY

done_testing
