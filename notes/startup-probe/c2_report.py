#!/usr/bin/env python3
"""What C2 does for vecprop's kernels while the CLI starts training: runs
`./vecprop train --epochs 1 --threads 1 --batch 128 --limit 12800` (one epoch of 100 steps) with
-XX:+LogCompilation, then prints the start-up line (how long the first step took after the data were loaded),
the C2 time spent on vecprop's methods over the whole run with the longest compilations, and every uncommon trap
that fired in compiled vecprop code, with its inlining chain, its time (seconds of JVM uptime, which starts a few
tens of ms after the launch the start-up line counts from) and whether the compiled code was then thrown away
("made not entrant": C2 compiles the method again). Run from the repository root, after
./vecprop mvn -q -o -DskipTests package:

    python3 notes/startup-probe/c2_report.py [runs] [extra JVM flags...]

The extra flags are added to $VECPROP_JAVA_OPTS, if set. C2 compiles the kernels early (the CLI's 1/100
thresholds), so a branch its profile has not seen taken yet, or a Vector API call that has not run yet (not
linked), becomes a trap; the first time it is met the kernel is thrown away and compiled again: 40-230 ms of C2
each, and the first step waits for its kernels. Compile times are wall-clock stamps of the compiler thread: on a
busy host they move by +-30%; the traps are the steadier reading. Which traps fire also depends on timing
(whether a path ran before its method was compiled).
"""
import os
import re
import subprocess
import sys
import tempfile


def report(log):
    with open(log) as f:
        text = f.read()
    names, ours, total, compiles = {}, set(), 0.0, []
    for chunk in text.split("<task ")[1:]:
        head = chunk[:chunk.find(">")]
        method = re.search(r"method='([^']*)'", head)
        stamp = re.search(r"stamp='([\d.]+)'", head)
        cid = re.search(r"compile_id='(\d+)'", head)
        level = re.search(r"level='(\d)'", head)
        done = re.search(r"<task_done[^>]*?stamp='([\d.]+)'", chunk)
        if not (method and stamp and cid and done):
            continue
        cls, name = method.group(1).split()[:2]
        names[cid.group(1)] = cls.split(".")[-1] + "." + name
        if not cls.startswith("dev.vecprop."):
            continue
        ours.add(cid.group(1))
        if level is None or level.group(1) == "4":
            seconds = float(done.group(1)) - float(stamp.group(1))
            total += seconds
            compiles.append((seconds, names[cid.group(1)]))
    compiles.sort(reverse=True)
    print("  C2 on vecprop: %d compilations, %.2f s; longest: %s" % (
        len(compiles), total, ", ".join("%s %.0f ms" % (n, s * 1000) for s, n in compiles[:6])))
    # compiled code thrown away after a trap: <make_not_entrant ... reason='uncommon trap' compile_id='N' ...>
    discarded = set(re.findall(r"<make_not_entrant [^>]*?reason='uncommon trap' compile_id='(\d+)'", text))
    seen = set()
    for m in re.finditer(r"<uncommon_trap thread='\d+' reason='([^']*)' action='([^']*)'[^>]*?compile_id='(\d+)'"
                         r"[^>]*?stamp='([\d.]+)'[^>]*>\s*((?:<jvms[^>]*>\s*)+)", text):
        if m.group(3) not in ours:
            continue
        frames = re.findall(r"<jvms bci='(\d+)' method='([^']*)'", m.group(5))
        chain = " <- ".join(f[1].split()[0].split(".")[-1] + "." + f[1].split()[1] + "@" + f[0] for f in frames)
        key = (m.group(3), m.group(1), chain)
        if key not in seen:
            seen.add(key)
            fate = "thrown away" if m.group(3) in discarded else "kept"
            print("  trap at %s s: %s (%s) in compiled %s, %s: %s" % (
                m.group(4), m.group(1), m.group(2), names.get(m.group(3), "?"), fate, chain))
    if not seen:
        print("  no trap in compiled vecprop code")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    extra = sys.argv[2:]
    for run in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "compilation.xml")
            opts = " ".join([os.environ.get("VECPROP_JAVA_OPTS", ""), "-XX:+UnlockDiagnosticVMOptions",
                             "-XX:+LogCompilation", "-XX:LogFile=" + log] + extra)
            out = subprocess.run(["./vecprop", "train", "--epochs", "1", "--threads", "1", "--batch", "128",
                                  "--limit", "12800", "--out", os.path.join(tmp, "model.safetensors")],
                                 env={**os.environ, "VECPROP_JAVA_OPTS": opts}, capture_output=True, text=True)
            if out.returncode != 0 or not os.path.exists(log):
                sys.exit("run %d failed (exit %d): %s" % (run + 1, out.returncode, (out.stderr or out.stdout)[-500:]))
            first = re.search(r"start-up: .*", out.stdout + out.stderr)
            print("run %d: %s" % (run + 1, first.group(0) if first else "(no start-up line)"))
            report(log)


if __name__ == "__main__":
    main()
