#!/usr/bin/env python3
"""What C2 does for vecprop before and during the CLI's first training step: runs
`./vecprop train --epochs 1 --threads 1 --batch 128 --limit 12800` with -XX:+LogCompilation, then prints the
first-step time, the C2 time spent on vecprop's methods (and the longest compilations), and every
uncommon trap that fired in a compiled vecprop method (each one throws the compiled code away; C2 compiles
it again), with its inlining chain. Run from the repository root, after ./vecprop mvn -q -o -DskipTests package:

    python3 notes/startup-probe/c2_report.py [runs] [extra JVM flags...]

C2 compiles the kernels early (the CLI's 1/100 thresholds), so a branch its profile has not seen taken yet, or a
Vector API call that has not run yet (not linked), becomes a trap, and the first time it is met the kernel is
compiled again: 40-230 ms of C2 each, on the first step's critical path, since the step waits for its kernels.
Compile times are wall-clock stamps of the compiler thread: on a busy host they move by +-30%; the traps are
the steadier reading. Which traps fire also depends on timing (whether a path ran before its method compiled).
"""
import re
import subprocess
import sys
import tempfile


def report(log):
    text = open(log).read()
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
        if cls.startswith("dev.vecprop."):
            ours.add(cid.group(1))
        if (level is None or level.group(1) == "4") and "vecprop" in cls:
            seconds = float(done.group(1)) - float(stamp.group(1))
            total += seconds
            compiles.append((seconds, cls.split(".")[-1] + "." + name))
    compiles.sort(reverse=True)
    print("  C2 on vecprop: %d compilations, %.2f s; longest: %s" % (
        len(compiles), total, ", ".join("%s %.0f ms" % (n, s * 1000) for s, n in compiles[:6])))
    seen = set()
    for m in re.finditer(r"<uncommon_trap thread='\d+' reason='([^']*)' action='([^']*)'[^>]*?compile_id='(\d+)'"
                         r"[^>]*?stamp='([\d.]+)'[^>]*>\s*((?:<jvms[^>]*>\s*)+)", text):
        compiled = names.get(m.group(3), "?")
        if m.group(3) not in ours:
            continue
        frames = re.findall(r"<jvms bci='(\d+)' method='([^']*)'", m.group(5))
        chain = " <- ".join(f[1].split()[0].split(".")[-1] + "." + f[1].split()[1] + "@" + f[0] for f in frames)
        key = (compiled, m.group(1), chain)
        if key not in seen:
            seen.add(key)
            print("  trap at %s s: %s (%s) in compiled %s: %s" % (m.group(4), m.group(1), m.group(2), compiled, chain))
    if not seen:
        print("  no trap in a compiled vecprop kernel")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    extra = " ".join(sys.argv[2:])
    for run in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".xml") as log:
            env = {"VECPROP_JAVA_OPTS": "-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=%s %s"
                   % (log.name, extra)}
            out = subprocess.run(["./vecprop", "train", "--epochs", "1", "--threads", "1", "--batch", "128",
                                  "--limit", "12800", "--out", log.name + ".safetensors"],
                                 env={**__import__("os").environ, **env}, capture_output=True, text=True)
            first = re.search(r"start-up: .*", out.stdout + out.stderr)
            print("run %d: %s" % (run + 1, first.group(0) if first else "no start-up line: " + out.stderr[-300:]))
            report(log.name)
            subprocess.run(["rm", "-f", log.name + ".safetensors"])


if __name__ == "__main__":
    main()
