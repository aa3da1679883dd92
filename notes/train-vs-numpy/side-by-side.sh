#!/usr/bin/env bash
# The training step of vecprop (1 thread) against numpy + OpenBLAS (1 thread) measured AT THE SAME TIME: each
# process pinned to a vCPU of its own (taskset), both counting their steps per wall-clock second, and the
# ratio taken per second in which both ran. The host's speed changes (see the README's "Fourth session") then
# hit both sides alike, which one-after-the-other runs (bench/run) cannot promise. Each round runs twice, with
# the two processes' vCPUs swapped. The step is TrainStepBenchmark's (MLP 784-256-128-10, batch 128, ReLU,
# softmax cross-entropy, Adam, float32) and numpy_reference.py's, with the same glibc settings as bench/run. (The
# JVM, seeing one processor, runs Serial GC where JMH's fork runs G1; the step allocates nothing either way.)
# Both sides put their weights and Adam back to the start every 300 steps. Training on one fixed batch, some
# ReLU units die and the loss goes to ~0; numpy's Adam moments then fill with subnormal numbers after ~600 steps
# (48,565 of 235,146 first moments here), on which x86 arithmetic takes a slow microcode path: its step fell from
# 330 to 130 steps/s. vecprop's Adam stores a moment below the smallest normal float as 0 (Updates.adam says why),
# so it keeps its speed. Left running, the ratio would be 2.9-3.6 instead of ~1.2-1.8, a measure of that one
# regime. The resets keep both sides in the normal-number regime of a run's first steps.
# A last pair of runs measures what running side by side costs each: one side runs throughout, the other only in
# alternate 5-second periods, and the continuous side's rate is compared between its seconds with and without
# the other beside it.
#
#   notes/train-vs-numpy/side-by-side.sh [rounds] [seconds]     (from the repository root, after ./vecprop mvn -q -o -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
seconds=${2:-30}
warm=15
J=$(./vecprop java)/bin
out=$(mktemp -d)
"$J/javac" -d "$out/classes" -cp bench/target/vecprop-benchmarks.jar notes/train-vs-numpy/SideBySide.java
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
# run <java cpu> <numpy cpu> <java period> <numpy period>: both at once; leaves java.txt and numpy.txt in $out
run() {
    taskset -c "$1" "$J/java" --add-modules jdk.incubator.vector -cp "bench/target/vecprop-benchmarks.jar:$out/classes" \
        SideBySide "$seconds" "$warm" "$3" > "$out/java.txt" 2> >(grep -v 'incubator' >&2) &
    local jpid=$!
    OPENBLAS_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 \
        taskset -c "$2" python3 notes/train-vs-numpy/side_by_side.py "$seconds" "$warm" "$4" > "$out/numpy.txt" &
    wait "$jpid" $!
}
report() {
    python3 - "$out/java.txt" "$out/numpy.txt" "$@" <<'PY'
import statistics, sys
java = dict(map(int, l.split()) for l in open(sys.argv[1]) if l.strip())
nump = dict(map(int, l.split()) for l in open(sys.argv[2]) if l.strip())
jcpu, ncpu, what = sys.argv[3:6]
if what == "ratio":
    both = sorted(set(java) & set(nump))
    r = sorted(java[s] / nump[s] for s in both if nump[s] > 0)
    q = statistics.quantiles(r, n=4)
    print("java on cpu %s, numpy on cpu %s: %d common seconds; steps/s java %.0f, numpy %.0f; "
          "java/numpy per second: median %.2f (quartiles %.2f-%.2f, range %.2f-%.2f)"
          % (jcpu, ncpu, len(both), statistics.median(java[s] for s in both),
             statistics.median(nump[s] for s in both), statistics.median(r), q[0], q[2], r[0], r[-1]))
else:  # what = java|numpy: that side ran throughout, the other only now and then
    full, part = (java, nump) if what == "java" else (nump, java)
    # only within the other side's measured window (before it, the other may still be warming up), and not the
    # second right after the other stops
    lo, hi = min(part), max(part)
    on = [full[s] for s in full if s in part]
    off = [full[s] for s in full if lo <= s <= hi and s not in part and s - 1 not in part]
    print("%s alone: %.0f steps/s (%d s), beside the other: %.0f steps/s (%d s): %.1f%% slower beside it"
          % (what, statistics.median(off), len(off), statistics.median(on), len(on),
             100 * (1 - statistics.median(on) / statistics.median(off))))
PY
}
for r in $(seq 1 "$rounds"); do
    run 0 1 0 0; report 0 1 ratio
    run 1 0 0 0; report 1 0 ratio
done
run 0 1 0 5; report 0 1 java
run 0 1 5 0; report 0 1 numpy
rm -rf "$out"
