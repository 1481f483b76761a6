#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Other people's shell test suites, run differentially: uring-sh against dash.

The suites come from Debian source packages (scripts/debsrc.sh):
  busybox  shell/ash_test and shell/hush_test: one script per case (*.tests)
  mksh     check.t: one case per record (its stdin: text, run as a script file)
  bash     tests/*.tests: one whole script per case
Their expected outputs are for their own shells and are not used: dash's
behaviour is the contract. Every case runs three times in a fresh copy of
its files at the same path, with the shell under test reached as
$THIS_SH = <work>/.shbin/sh (a symlink) and argv[0] "sh": dash, dash again,
then uring-sh. A case whose two dash runs differ (pids, times, $RANDOM) is
unstable and not compared. Exit status, stdout, stderr and the files left
behind must then be identical; a case counts as differing only when three
tries differ (signal and sleep races on a loaded machine), and a listed one as
fixed only when three agree.

known.txt lists the cases where uring-sh still differs, one per line with a
reason. The run fails on a difference not listed there, and on a listed case
that no longer differs (so the list stays true), unless its reason starts
with "racy:" (it differs on some runs only).

usage: suite.py URING_SH SUITE... [--known FILE] [--jobs N] [--only SUBSTR]
                [--show N] [--write-known FILE]
exit: 0 all as expected, 1 unexpected differences or stale known entries,
      2 bad usage or a suite that cannot be fetched
"""
import argparse, os, re, shutil, signal, stat, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor

DASH = "/bin/dash"
HERE = os.path.dirname(os.path.abspath(__file__))
DEBSRC = os.path.join(HERE, "..", "..", "scripts", "debsrc.sh")
TIMEOUT = 10


class Case:
    def __init__(self, cid, argv, files=None, srcdir=None, cwd=".", env=None, stdin=b""):
        self.cid = cid  # suite/group/name
        self.argv = argv  # after the shell: the script and its arguments
        self.files = files or {}  # name -> (bytes, mode)
        self.srcdir = srcdir  # a directory the case's script comes from
        self.needs = needed_files(srcdir, argv[0][2:]) if srcdir else []
        self.cwd = cwd
        self.env = env or {}
        self.stdin = stdin


def needed_files(srcdir, script):
    """The script and every file of srcdir it names, and those they name
    (a suite's folder holds hundreds of files; a case uses a few)."""
    names = sorted(os.listdir(srcdir), key=len, reverse=True)
    need, todo = set(), [script]
    while todo:
        f = todo.pop()
        if f in need:
            continue
        need.add(f)
        p = os.path.join(srcdir, f)
        if os.path.isfile(p):
            with open(p, "rb") as fh:
                text = fh.read().decode("latin-1")
            todo += [n for n in names if n not in need and n in text and len(n) > 2]
    return sorted(need)


def fetch(pkg):
    r = subprocess.run(["sh", DEBSRC, pkg], stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"suite.py: {pkg}: source package not available")
    return r.stdout.strip()


def helpers_busybox(tree, cache):
    """busybox's test helpers (recho, zecho, printenv) built from its tree."""
    out = os.path.join(cache, "busybox-helpers")
    os.makedirs(out, exist_ok=True)
    for h in ("recho", "zecho", "printenv"):
        exe = os.path.join(out, h)
        if not os.path.exists(exe):
            src = os.path.join(tree, "shell", "ash_test", h + ".c")
            subprocess.run(["cc", "-O2", "-w", "-o", exe + ".tmp", src], check=True)
            os.rename(exe + ".tmp", exe)
    return out


def cases_busybox(tree):
    for top in ("ash_test", "hush_test"):
        base = os.path.join(tree, "shell", top)
        for group in sorted(os.listdir(base)):
            gdir = os.path.join(base, group)
            # z_slow: cases built to take seconds each (loops of 10^5)
            if not os.path.isdir(gdir) or group.endswith("z_slow"):
                continue
            for f in sorted(os.listdir(gdir)):
                if f.endswith(".tests") and os.path.exists(os.path.join(gdir, f[:-6] + ".right")):
                    yield Case(f"busybox/{group}/{f[:-6]}", ["./" + f], srcdir=gdir)


def parse_check_t(text):
    """mksh's check.t: records of `key: value` or `key:` plus tab-indented lines."""
    recs, rec, key = [], {}, None
    for line in text.split("\n"):
        if line == "---":
            if rec:
                recs.append(rec)
            rec, key = {}, None
        elif line.startswith("\t") and key:
            rec[key] += line[1:] + "\n"
        elif re.match(r"^[a-z-]+:", line):
            key, _, val = line.partition(":")
            rec[key] = val.strip() if val.strip() else ""
            if val.strip():
                key = None
        elif line.startswith("#"):
            key = None
    return recs


def split_bang(s):
    """check.t lists such as `!a!b c!` (first character is the separator)."""
    s = s.strip()
    return s[1:-1].split(s[0]) if len(s) > 1 else []


def cases_mksh(tree):
    text = open(os.path.join(tree, "check.t"), encoding="latin-1").read()
    for rec in parse_check_t(text):
        name = rec.get("name", "").strip()
        # a controlling tty, a password file or perl: not in a test run
        if not name or "stdin" not in rec or any(k in rec for k in ("need-ctty", "need-pass", "perl-setup", "script")):
            continue
        files = {"prog": (rec["stdin"].encode("latin-1"), 0o644)}
        fs = rec.get("file-setup", "")
        cur = None
        for line in fs.split("\n"):
            m = re.match(r'^file (\d+) "([^"]+)"$', line)
            if m:
                cur = m.group(2)
                files[cur] = (b"", int(m.group(1), 8))
            elif cur is not None and line.startswith("\t"):
                data, mode = files[cur]
                files[cur] = (data + line[1:].encode("latin-1") + b"\n", mode)
        env = {}
        for kv in split_bang(rec.get("env-setup", "")):
            k, _, v = kv.partition("=")
            if k:
                env[k] = v
        yield Case(f"mksh/{name}", ["prog"] + split_bang(rec.get("arguments", "")), files=files, env=env)


def cases_bash(tree):
    tdir = os.path.join(tree, "tests")
    for f in sorted(os.listdir(tdir)):
        if f.endswith(".tests"):
            yield Case(f"bash/{f[:-6]}", ["./" + f], srcdir=tdir)


def snapshot(root):
    out = []
    for dp, dns, fns in os.walk(root):
        dns[:] = sorted(d for d in dns if d != ".shbin")
        for n in sorted(fns + dns):
            p = os.path.join(dp, n)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            if stat.S_ISLNK(st.st_mode):
                out.append((rel, "l", os.readlink(p)))
            elif stat.S_ISDIR(st.st_mode):
                out.append((rel, "d"))
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as fh:
                    out.append((rel, oct(st.st_mode & 0o777), fh.read()))
    return out


def run_case(shell, case, work, extra_path):
    if os.path.lexists(work):
        subprocess.run(["chmod", "-R", "u+rwx", work], stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for name in case.needs:
        src = os.path.join(case.srcdir, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(work, name), symlinks=True)
        else:
            shutil.copy2(src, os.path.join(work, name), follow_symlinks=False)
    for name, (data, mode) in case.files.items():
        p = os.path.join(work, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as fh:
            fh.write(data)
        os.chmod(p, mode)
    shbin = os.path.join(work, ".shbin")
    os.makedirs(shbin, exist_ok=True)
    os.symlink(shell, os.path.join(shbin, "sh"))
    home = os.path.join(work, ".shbin", "home")
    os.makedirs(home)
    # not .shbin itself: bash's rsh test copies /bin/sh into $TMPDIR, which
    # would write through the symlink onto the shell under test
    tmp = os.path.join(work, ".shbin", "tmp")
    os.makedirs(tmp)
    sh = os.path.join(shbin, "sh")
    env = {
        "PATH": f"{shbin}:{extra_path}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "PWD": os.path.join(work, case.cwd) if case.cwd != "." else work,
        "LANG": "C",
        "THIS_SH": sh,
        "TMPDIR": tmp,
        "BASH_TSTOUT": os.path.join(work, ".shbin", "tstout"),
    }
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(case.env)
    p = subprocess.Popen(["sh"] + case.argv, executable=sh, cwd=env["PWD"], env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        out, err = p.communicate(case.stdin, timeout=TIMEOUT)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        status = "timeout"
    try:
        os.killpg(p.pid, signal.SIGKILL)  # background jobs a case left behind
    except ProcessLookupError:
        pass
    return (status, out, err, snapshot(work))


def describe(a, b):
    names = ("status", "stdout", "stderr", "files")
    for n, x, y in zip(names, a, b):
        if x != y:
            if n == "files":
                return f"files differ: {sorted(set(map(str, x)) ^ set(map(str, y)))[:3]}"[:400]
            if n == "status":
                return f"status: dash {x} / uring-sh {y}"
            i = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
            lo = max(0, i - 60)
            return f"{n} from byte {i}: dash {x[lo:i + 120]!r} / uring-sh {y[lo:i + 120]!r}"
    return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("uring_sh")
    ap.add_argument("suites", nargs="+", choices=("busybox", "mksh", "bash"))
    ap.add_argument("--known", default=os.path.join(HERE, "known.txt"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--only", default="")
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--write-known", default="")
    a = ap.parse_args()
    ush = os.path.abspath(a.uring_sh)
    if not os.access(ush, os.X_OK):
        sys.exit(f"suite.py: {a.uring_sh}: not executable")

    known = {}
    if os.path.exists(a.known):
        for line in open(a.known):
            line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
            if line:
                cid, _, why = line.partition(" ")
                known[cid] = why.strip()

    cache = os.path.join(os.environ.get("USPAWN_CACHE", "/var/cache/uspawn"), "conformance")
    os.makedirs(cache, exist_ok=True)
    cases, extra = [], []
    for s in a.suites:
        tree = fetch(s)
        if s == "busybox":
            extra.append(helpers_busybox(tree, cache))
            cases += list(cases_busybox(tree))
        elif s == "mksh":
            cases += list(cases_mksh(tree))
        else:
            cases += list(cases_bash(tree))
    cases = [c for c in cases if a.only in c.cid]
    extra_path = ":".join(extra)

    tmp = tempfile.mkdtemp(prefix="uspawn-conf-")

    def one(ix_case):
        ix, case = ix_case
        work = os.path.join(tmp, f"w{ix % a.jobs}", "t")  # one path per worker: same for all three runs
        t0 = time.monotonic()
        d1 = run_case(DASH, case, work, extra_path)
        if os.environ.get("SUITE_TIMES"):
            print(f"TIME {time.monotonic() - t0:.2f} {case.cid}", file=sys.stderr)
        d2 = run_case(DASH, case, work, extra_path)
        if d1 != d2:
            return case.cid, "unstable", ""
        # signals and sleeps race on a loaded machine: a case differs only
        # if three tries differ; a listed one is fixed only if three agree
        tries = 3
        why, matched = "", 0
        for t in range(tries):
            d = d1 if t == 0 else run_case(DASH, case, work, extra_path)
            u = run_case(ush, case, work, extra_path)
            if u == d:
                matched += 1
                if case.cid not in known:
                    break
            elif not why:
                why = describe(d, u)
        if matched == 0:
            return case.cid, "diff", why
        if case.cid in known and matched < tries:
            return case.cid, "flaky", why
        return case.cid, "same", ""

    # the worker index picks the path: run worker w's cases on one thread
    buckets = [[(i, c) for i, c in enumerate(cases) if i % a.jobs == w] for w in range(a.jobs)]
    results = []
    with ThreadPoolExecutor(a.jobs) as ex:
        for part in ex.map(lambda b: [one(x) for x in b], buckets):
            results += part
    shutil.rmtree(tmp, ignore_errors=True)

    results.sort()
    same = sum(1 for r in results if r[1] == "same")
    unstable = sum(1 for r in results if r[1] == "unstable")
    diffs = [r for r in results if r[1] == "diff"]
    new = [r for r in diffs if r[0] not in known]
    ran = {r[0] for r in results if r[1] != "unstable"}
    diff_ids = {r[0] for r in diffs}
    flaky = {r[0] for r in results if r[1] == "flaky"}
    # "racy:" entries differ on some runs only: not reported as fixed
    stale = sorted(k for k in known if k in ran and k not in diff_ids and k not in flaky
                   and not known[k].startswith("racy:"))
    print(f"suite.py: {len(results)} cases: {same} same, {len(diffs)} differ "
          f"({len(diffs) - len(new)} known), {len(flaky)} known but sometimes the same, "
          f"{unstable} unstable under dash itself")
    for cid, _, why in new[: a.show]:
        print(f"DIFF {cid}: {why}")
    if len(new) > a.show:
        print(f"... {len(new) - a.show} more")
    for cid in stale:
        print(f"FIXED {cid}: listed in {os.path.basename(a.known)} but now the same: remove it")
    if a.write_known:
        with open(a.write_known, "w") as fh:
            for cid, _, why in diffs:
                fh.write(f"{cid} {known.get(cid, why[:160])}\n")
    return 1 if new or stale else 0


if __name__ == "__main__":
    sys.exit(main())
