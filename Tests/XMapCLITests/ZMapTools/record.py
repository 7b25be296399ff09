#!/usr/bin/env python3
"""Records or checks the ztee/zblocklist cases of cases.txt.

    record.py record TOOLDIR OUTDIR [NAME...]   run the cases with TOOLDIR/ztee and TOOLDIR/zblocklist
                                               (a private ZMap 4 build) and write OUTDIR/NAME.expect
    record.py check XMAP [NAME...]             run the cases with the xmap binary XMAP under both names
                                               and compare with xmap/NAME.expect or zmap/NAME.expect

Each case runs twice in a fresh copy of inputs/; both runs must give the same result.
The .expect format (what ZMapToolCaseTests.swift reads): sections `#status N`, then
`#stdout LEN`, `#stderr LEN` and `#file NAME LEN`, each followed by a newline and LEN raw bytes
and a newline.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TIMESTAMP = re.compile(rb"^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} \[", re.M)


def cases():
    out = []
    with open(os.path.join(HERE, "cases.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, command = line.split("|", 1)
            out.append((name, command))
    return out


def mask(data):
    return TIMESTAMP.sub(b"TIME [", data)


def run(command, tools):
    """tools: {name: target path}. Returns the result as .expect bytes."""
    work = tempfile.mkdtemp(prefix="ztools-case-")
    try:
        cwd = os.path.join(work, "w")
        shutil.copytree(os.path.join(HERE, "inputs"), cwd)
        before = set(os.listdir(cwd))
        bindir = os.path.join(work, "bin")
        os.mkdir(bindir)
        for name, target in tools.items():
            os.symlink(target, os.path.join(bindir, name))
        env = dict(os.environ, PATH=bindir + ":" + os.environ.get("PATH", "/usr/bin:/bin"), LC_ALL="C")
        p = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        parts = [b"#status %d\n" % p.returncode]
        parts.append(b"#stdout %d\n" % len(p.stdout) + p.stdout + b"\n")
        err = mask(p.stderr)
        parts.append(b"#stderr %d\n" % len(err) + err + b"\n")
        for name in sorted(set(os.listdir(cwd)) - before):
            path = os.path.join(cwd, name)
            with open(path, "rb") as f:
                data = mask(f.read())
            parts.append(b"#file %s %d\n" % (name.encode(), len(data)) + data + b"\n")
        return b"".join(parts)
    finally:
        shutil.rmtree(work)


def sections(data):
    """The sections of an .expect file: {"status": b"0", "stdout": bytes, "file NAME": bytes, ...}."""
    out, i = {}, 0
    while i < len(data):
        nl = data.index(b"\n", i)
        words = data[i + 1:nl].decode().split(" ")
        if words[0] == "status":
            out["status"] = words[1]
            i = nl + 1
            continue
        length = int(words[-1])
        out[" ".join(words[:-1])] = data[nl + 1:nl + 1 + length]
        i = nl + 1 + length + 1
    return out


def main():
    mode = sys.argv[1]
    if mode == "record":
        tooldir, outdir, names = sys.argv[2], sys.argv[3], set(sys.argv[4:])
        tools = {t: os.path.join(tooldir, t) for t in ("ztee", "zblocklist")}
        os.makedirs(outdir, exist_ok=True)
        for name, command in cases():
            if names and name not in names:
                continue
            a, b = run(command, tools), run(command, tools)
            if a != b:
                print("NOT DETERMINISTIC:", name)
            with open(os.path.join(outdir, name + ".expect"), "wb") as f:
                f.write(a)
            print("recorded", name)
    elif mode == "check":
        xmap, names = os.path.abspath(sys.argv[2]), set(sys.argv[3:])
        tools = {t: xmap for t in ("ztee", "zblocklist")}
        failed = 0
        for name, command in cases():
            if names and name not in names:
                continue
            got = run(command, tools)
            for d in ("xmap", "zmap"):
                path = os.path.join(HERE, d, name + ".expect")
                if os.path.exists(path):
                    break
            with open(path, "rb") as f:
                want = f.read()
            if got != want:
                failed += 1
                print("DIFFERENT:", name, "(" + os.path.relpath(path, HERE) + ")")
                w, g = sections(want), sections(got)
                for key in sorted(set(w) | set(g)):
                    if w.get(key) != g.get(key):
                        print("  " + key + ":\n    want " + repr(w.get(key)) + "\n    got  " + repr(g.get(key)))
        print(failed, "failed")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
