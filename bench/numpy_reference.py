#!/usr/bin/env python3
"""Native reference for the vecprop benchmarks: OpenBLAS through numpy.

Measures C = op(A)·op(B) for the same GEMM problems as the JMH suite (parameters shape, trans, precision,
as in GemmProblem.java) and a numpy MLP 784-256-128-10 training step (batch 128, ReLU, softmax + cross-entropy,
hand-written backprop, Adam), on 1 and 2 OpenBLAS threads, and writes the results as a JMH-style JSON array
(benchmark, mode, params, primaryMetric{score, scoreError, scoreUnit, rawData}) so bench/run's report puts
them beside the Java results. Without numpy it writes an empty array and says why.

Run it through bench/run, which unsets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (they make OpenBLAS pick an
older kernel) and sets MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ (so glibc keeps numpy's temporaries
instead of page-faulting them in again every step). Each thread count runs in its own child process, since
OpenBLAS reads OPENBLAS_NUM_THREADS when it loads.
"""
import argparse
import ctypes
import glob
import json
import math
import os
import statistics
import subprocess
import sys
import time

# Same lists as GemmProblem.java (full) and bench/run (quick); the problems are the cross product.
FULL_SHAPES = ["64", "128", "256", "512", "1024", "2048",
               "128x784x256", "128x256x784", "256x128x784",
               "128x256x10", "128x10x256", "10x128x256",
               "32x512x512", "512x32x512", "1x4096x4096"]
FULL_TRANS = ["NN", "NT", "TN", "TT"]
QUICK_SHAPES = ["64", "256", "512"]
QUICK_TRANS = ["NN"]

# Two-sided 99.9% Student t quantiles by degrees of freedom (JMH reports the same interval).
T999 = {1: 636.619, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781,
        10: 4.587, 14: 4.140, 19: 3.883, 29: 3.659}


def t999(df):
    for d in sorted(T999):
        if df <= d:
            return T999[d]
    return 3.291


def openblas_info():
    """OpenBLAS core name and thread count as the library itself reports them, or a reason it can't."""
    import numpy
    base = os.path.dirname(numpy.__file__)
    candidates = []
    for pattern in ("../numpy.libs/*openblas*", ".libs/*openblas*", "../scipy_openblas*/lib/*openblas*"):
        candidates += glob.glob(os.path.join(base, pattern))
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                core = getattr(lib, prefix + "_get_corename" + suffix, None)
                threads = getattr(lib, prefix + "_get_num_threads" + suffix, None)
                if core is not None:
                    core.restype = ctypes.c_char_p
                    n = threads() if threads is not None else "?"
                    return "OpenBLAS core %s, %s thread(s)" % (core().decode(), n)
    return "OpenBLAS core unknown (library not found)"


def parse(shape, trans):
    dims = shape.split("x")
    if len(dims) == 1:
        dims = dims * 3
    m, k, n = (int(x) for x in dims)
    return m, k, n, trans[0] == "T", trans[1] == "T"


def measure(fn, target_s, samples):
    """ops/s per sample: each sample repeats fn for about target_s seconds, after a warm-up of the same length."""
    reps = 1
    while True:  # calibrate the repetitions per sample
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        if dt >= target_s / 4:
            break
        reps *= 2
    reps = max(1, int(reps * target_s / max(dt, 1e-9)))
    for _ in range(reps):  # warm-up
        fn()
    rates = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        rates.append(reps / (time.perf_counter() - t0))
    return rates


def entry(benchmark, params, rates, threads):
    mean = statistics.fmean(rates)
    err = t999(len(rates) - 1) * statistics.stdev(rates) / math.sqrt(len(rates)) if len(rates) > 1 else float("nan")
    return {
        "benchmark": benchmark, "mode": "thrpt", "threads": 1, "forks": 1,
        "jdkVersion": None, "vmName": "CPython " + sys.version.split()[0],
        "params": params,
        "primaryMetric": {"score": mean, "scoreError": "NaN" if math.isnan(err) else err,
                          "scoreUnit": "ops/s", "rawData": [rates]},
        "secondaryMetrics": {},
    }


def gemm_results(np, shapes, transes, precisions, threads, core, target_s, samples):
    out = []
    rng = np.random.default_rng(42)
    problems = [(s, t) for s in shapes for t in transes]
    for precision in precisions:
        dt = np.float32 if precision == "f32" else np.float64
        for shape, trans in problems:
            m, k, n, ta, tb = parse(shape, trans)
            a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(dt)
            b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(dt)
            c = np.empty((m, n), dtype=dt)
            opa = a.T if ta else a
            opb = b.T if tb else b
            rates = measure(lambda: np.matmul(opa, opb, out=c), target_s, samples)
            params = {"shape": shape, "trans": trans, "precision": precision, "threads": str(threads),
                      "openblas": core}
            out.append(entry("numpy.OpenBLAS.gemm", params, rates, threads))
            print("  %-14s %s %s %dT %8.2f GFLOPS" % (shape, trans, precision, threads,
                                                    statistics.fmean(rates) * 2.0 * m * k * n / 1e9),
                  file=sys.stderr)
    return out


def mlp_step(np, batch=128):
    """One Adam training step of MLP 784-256-128-10 (ReLU, softmax + cross-entropy) in float32, as a function;
    its attribute reset() puts the weights and Adam back to where they started."""
    rng = np.random.default_rng(7)
    f = np.float32
    sizes = [784, 256, 128, 10]
    params = []
    for i in range(3):
        limit = math.sqrt(6.0 / (sizes[i] + sizes[i + 1]))
        params.append(rng.uniform(-limit, limit, (sizes[i], sizes[i + 1])).astype(f))
        params.append(np.zeros(sizes[i + 1], dtype=f))
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rng.uniform(0, 1, (batch, 784)).astype(f)
    y = rng.integers(0, 10, batch)
    initial = [p.copy() for p in params]
    state = {"t": 0}
    lr, b1, b2, eps = f(1e-3), f(0.9), f(0.999), f(1e-8)

    def step():
        w1, c1, w2, c2, w3, c3 = params
        h1 = np.maximum(x @ w1 + c1, 0)
        h2 = np.maximum(h1 @ w2 + c2, 0)
        z = h2 @ w3 + c3
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        d3 = p
        d3[np.arange(batch), y] -= 1
        d3 /= batch
        g = [None] * 6
        g[4] = h2.T @ d3
        g[5] = d3.sum(axis=0)
        d2 = (d3 @ w3.T) * (h2 > 0)
        g[2] = h1.T @ d2
        g[3] = d2.sum(axis=0)
        d1 = (d2 @ w2.T) * (h1 > 0)
        g[0] = x.T @ d1
        g[1] = d1.sum(axis=0)
        state["t"] += 1
        t = state["t"]
        scale = lr * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        for i in range(6):
            m[i] *= b1
            m[i] += (1 - b1) * g[i]
            v[i] *= b2
            v[i] += (1 - b2) * (g[i] * g[i])
            params[i] -= f(scale) * m[i] / (np.sqrt(v[i]) + eps)

    def reset():
        for i in range(6):
            params[i][...] = initial[i]
            m[i].fill(0)
            v[i].fill(0)
        state["t"] = 0

    step.reset = reset
    return step


def mlp_step_restarting(np, batch=128, every=300):
    """mlp_step, put back to its initial weights and a fresh Adam every `every` steps. On this one fixed batch the
    loss goes to ~0 within a few hundred steps and Adam's moments fill with subnormal numbers, on which x86
    arithmetic slows the step 2.5x (notes/train-vs-numpy/side-by-side.sh): a regime a real run on shuffled
    batches does not stay in, and one vecprop's Adam avoids (it stores such moments as 0)."""
    step = mlp_step(np, batch)
    done = [0]

    def run():
        step()
        done[0] += 1
        if done[0] % every == 0:
            step.reset()

    return run


def mlp_result(np, threads, core, target_s, samples, batch=128):
    """The training step of mlp_step_restarting, measured."""
    rates = measure(mlp_step_restarting(np, batch), target_s, samples)
    print("  MLP 784-256-128-10 step, batch %d, %dT: %.0f samples/s" % (batch, threads, statistics.fmean(rates) * batch),
          file=sys.stderr)
    return entry("numpy.MLP.trainStep", {"batch": str(batch), "precision": "f32", "threads": str(threads),
                                         "openblas": core}, rates, threads)


def child(args):
    import numpy as np
    core = openblas_info()
    print("numpy %s, %s, OPENBLAS_NUM_THREADS=%s" % (np.__version__, core, os.environ.get("OPENBLAS_NUM_THREADS")),
          file=sys.stderr)
    quick = args.mode == "quick"
    shapes = args.shapes.split(",") if args.shapes else (QUICK_SHAPES if quick else FULL_SHAPES)
    transes = args.trans.split(",") if args.trans else (QUICK_TRANS if quick else FULL_TRANS)
    precisions = args.precision.split(",") if args.precision else (["f32"] if quick else ["f32", "f64"])
    target_s, samples = (0.2, 5) if quick else (0.5, 6)
    out = gemm_results(np, shapes, transes, precisions, args.threads, core, target_s, samples)
    if not args.no_mlp:
        out.append(mlp_result(np, args.threads, core, target_s, samples))
    json.dump(out, sys.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=["quick", "full"], default="quick")
    ap.add_argument("--out", required=True, help="JMH-style JSON file to write")
    ap.add_argument("--threads", default="1,2", help="OpenBLAS thread counts, comma-separated")
    ap.add_argument("--shapes", default="", help="comma-separated shapes, n or MxKxN (default: the mode's list)")
    ap.add_argument("--trans", default="", help="comma-separated transpose cases NN,NT,TN,TT (default: the mode's)")
    ap.add_argument("--precision", default="", help="f32,f64 (default: f32 for quick, both for full)")
    ap.add_argument("--no-mlp", action="store_true", help="GEMM problems only, no MLP training step")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        args.threads = int(args.threads)
        child(args)
        return
    try:
        import numpy  # noqa: F401
    except ImportError as e:
        print("numpy_reference: numpy is not available (%s): no OpenBLAS reference" % e, file=sys.stderr)
        with open(args.out, "w") as fh:
            json.dump([], fh)
        return
    results = []
    for t in (int(x) for x in args.threads.split(",")):
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(t)
        cmd = [sys.executable, os.path.abspath(__file__), "--child", "--mode", args.mode, "--out", args.out,
               "--threads", str(t), "--shapes", args.shapes, "--trans", args.trans, "--precision", args.precision]
        if args.no_mlp:
            cmd.append("--no-mlp")
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, check=True)
        results += json.loads(proc.stdout)
    with open(args.out, "w") as fh:
        json.dump(results, fh, indent=1)
    print("numpy_reference: wrote %d results to %s" % (len(results), args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
