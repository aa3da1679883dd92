#!/usr/bin/env python3
"""numpy reference timings for the issue-4 activations (float32, one thread), to compare with
ActivationComputeBenchmark / SoftmaxBenchmark run at the same time. Prints Gelem/s (best of several)."""
import os, time
for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(k, None)
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np

def bench(f, n, reps=30):
    f()
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)
    return n / best / 1e9

rng = np.random.default_rng(7)

def sigmoid():
    np.negative(x, out=t); np.exp(t, out=t); np.add(t, 1, out=t); np.divide(1, t, out=y)
def tanh():
    np.tanh(x, out=y)
def gelu():
    np.multiply(x, x, out=t); np.multiply(t, x, out=t); np.multiply(t, np.float32(0.044715), out=t)
    np.add(t, x, out=t); np.multiply(t, np.float32(0.7978845608), out=t)
    np.tanh(t, out=t); np.add(t, 1, out=t); np.multiply(x, t, out=y); np.multiply(y, np.float32(0.5), out=y)
def silu():
    np.negative(x, out=t); np.exp(t, out=t); np.add(t, 1, out=t); np.divide(x, t, out=y)

for bits in (14, 20):
    n = 1 << bits
    x = rng.uniform(-6, 6, n).astype(np.float32)
    y = np.empty_like(x); t = np.empty_like(x)
    for name, f in (("sigmoid", sigmoid), ("tanh", tanh), ("gelu", gelu), ("silu", silu)):
        print(f"numpy {name:8s} n=2^{bits}: {bench(f, n):.3f} Gelem/s")

m, k = 128, 1000
z = rng.uniform(-10, 10, (m, k)).astype(np.float32)
def softmax():
    e = np.exp(z - z.max(axis=1, keepdims=True)); e /= e.sum(axis=1, keepdims=True)
print(f"numpy softmax  128x1000: {bench(softmax, m * k):.3f} Gelem/s")
