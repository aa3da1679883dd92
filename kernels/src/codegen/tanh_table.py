#!/usr/bin/env python3
"""Fits the table of FastMath's float tanh (vecprop) and prints the Java constants.

Design (see FastMath.tanhTable): a = min(|x|, A_MAX); k = round(a/H) by the 1.5*2^23 trick
(t = fma(a, 1/H, 1.5*2^23), whose low 4 bits are k); r = fma(k, -H, a), |r| <= H/2; then tanh(a) ~= P_k(r),
a polynomial of degree DEG whose coefficients for the N intervals sit in one table per power (16 floats:
one vector at 512 bits, two at 256); Horner with FMA; sign of x copied back. Interval 0 is centred on 0
with c0 = 0 and c1 = 1 exactly, so tanh(x) = x for tiny and subnormal x and -0 stays -0.

Fit: per interval, minimax in ulps (weight 1/ulp(float tanh)) by Lawson's iteratively reweighted least squares
on a Chebyshev grid in float64, coefficients rounded to float32 one at a time from c0 up, refitting the
ones not yet rounded (so later coefficients absorb the rounding of earlier ones). Then an exhaustive
float32 check: every float in [0, A_MAX] (stride 1 bit pattern by default: set STRIDE) through a simulation
of the kernel (FMA = one rounding of the exact double result), against numpy's float64 tanh.

Usage (from the repo root): python3 kernels/src/codegen/tanh_table.py [--stride S] [--write]
(numpy needed; 5–15 minutes at stride 1, seconds at --stride 256). Prints the Java fields; --write splices
them into FastMath.java between the GENERATED-TANH markers.
"""
import argparse
import numpy as np

f32 = np.float32
N = 16            # intervals (one 16-float vector at 512 bits)
DEG = 6           # polynomial degree
A_MAX = 9.0625    # clamp of |x| (exactly representable; tanh rounds to 1 in float beyond 9.011)
MAGIC = f32(12582912.0)  # 1.5 * 2^23
H = f32(A_MAX / (N - 0.5) * (1 + 2**-20))   # A_MAX lies just inside interval N-1: round(A_MAX/H) = N-1
S = f32(1.0 / np.float64(H))


def fma32(a, b, c):
    """float32 fused multiply-add: the product of two floats is exact in double, one rounding at the end
    (double rounding through double is possible only in ties of the sum, negligible here)."""
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)).astype(f32)


def ulp32(y):
    return np.spacing(np.abs(y).astype(f32)).astype(np.float64)


def interval(k):
    lo = 0.0 if k == 0 else (k - 0.5) * float(H)
    hi = A_MAX if k == N - 1 else (k + 0.5) * float(H)
    return lo, hi


def lawson(r, y, w, free, fixed, iters=80):
    """min over the free coefficients of max |w·(p(r) − y)|, p = Σ c_j r^j, some c_j fixed."""
    yy = y - sum(v * r ** j for j, v in fixed.items())
    A = np.stack([r ** j for j in free], 1)
    u = np.full(len(r), 1.0 / len(r))
    best = (np.inf, None)
    for _ in range(iters):
        sw = np.sqrt(u) * w
        c = np.linalg.lstsq(A * sw[:, None], yy * sw, rcond=None)[0]
        e = np.abs((A @ c - yy) * w)
        if e.max() < best[0]:
            best = (e.max(), c)
        u = u * e
        u /= u.sum()
    return dict(zip(free, best[1])), best[0]


def fit_interval(k):
    lo, hi = interval(k)
    x = 0.5 * (hi + lo) + 0.5 * (hi - lo) * np.cos(np.linspace(0, np.pi, 3000))
    if k == 0:
        x = x[x > 1e-4]
    # also the extreme representable r: the grid of k is H·k in float, slightly off lo/hi
    r = x - k * np.float64(H)
    y = np.tanh(x)
    w = 1 / ulp32(y)
    fixed = {0: 0.0, 1: 1.0} if k == 0 else {}
    for j in range(DEG + 1):
        if j in fixed:
            continue
        free = [i for i in range(DEG + 1) if i not in fixed]
        c, _ = lawson(r, y, w, free, fixed)
        fixed[j] = float(f32(c[j]))
    return [fixed[j] for j in range(DEG + 1)]


def kernel(x, C):
    """The float32 kernel, step by step as FastMath.tanhTable does it."""
    a = np.abs(x).astype(f32)
    a = np.where(a > f32(A_MAX), f32(A_MAX), a)  # NaN compares false: stays NaN
    t = fma32(a, S, MAGIC)
    kf = (t - MAGIC).astype(f32)
    k = (t.view(np.int32) & (N - 1))
    r = fma32(kf, -H, a)
    p = C[DEG][k]
    for j in range(DEG - 1, -1, -1):
        p = fma32(p, r, C[j][k])
    return np.copysign(p, x)


def jfloat(v):
    v = float(f32(v))
    if v == 0:
        return "0f"
    m, e = v.hex().split("p")
    m = m.rstrip("0").rstrip(".") if "." in m else m
    return f"{m}p{e}f"


JAVA = "kernels/src/main/java/dev/vecprop/kernels/FastMath.java"


def main():
    global DEG
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help=f"splice the constants into {JAVA} (run from the repo root)")
    ap.add_argument("--stride", type=int, default=1, help="check every STRIDE-th float bit pattern")
    ap.add_argument("--deg", type=int, default=DEG, help="polynomial degree (experiments)")
    args = ap.parse_args()
    DEG = args.deg
    C = np.array([fit_interval(k) for k in range(N)], np.float64).T.astype(f32)  # C[j][k]
    # exhaustive check over [0, A_MAX] plus a few beyond
    hi_bits = int(np.array(A_MAX, f32).view(np.int32)) + 4096
    worst, at = 0.0, 0.0
    for start in range(0, hi_bits, 1 << 24):
        b = np.arange(start, min(start + (1 << 24), hi_bits), args.stride, dtype=np.int32)
        x = b.view(f32)
        y = kernel(x, C)
        ref = np.tanh(x.astype(np.float64))
        err = np.abs(y.astype(np.float64) - ref) / ulp32(ref)
        i = int(err.argmax())
        if err[i] > worst:
            worst, at = float(err[i]), float(x[i])
    sat = kernel(np.array([A_MAX, 9.5, 100, np.inf, -np.inf], f32), C)
    assert all(abs(v) == 1 for v in sat), "saturation must give exactly ±1"
    which = "every float" if args.stride == 1 else f"every {args.stride}th float"
    out = [f"// N={N}, DEG={DEG}: simulated max error {worst:.2f} ulp at x={float(f32(at))!r} ({which} in [0, A_MAX])",
           f"static final float TANH_MAX = {jfloat(A_MAX)};",
           f"static final float TANH_H = {jfloat(H)};",
           f"static final float TANH_INV_H = {jfloat(S)};",
           "static final float[] TANH_TABLE = {"]
    for j in range(DEG + 1):
        out.append(f"    // c{j}")
        vals = [jfloat(v) for v in C[j]]
        for i in range(0, N, 4):
            out.append("    " + ", ".join(vals[i:i + 4]) + ",")
    out.append("};")
    text = "\n".join("    " + line for line in out)
    print(text)
    if args.write:
        src = open(JAVA).read()
        head, rest = src.split("//GENERATED-TANH-BEGIN\n", 1)
        _, tail = rest.split("    //GENERATED-TANH-END", 1)
        open(JAVA, "w").write(head + "//GENERATED-TANH-BEGIN\n" + text + "\n    //GENERATED-TANH-END" + tail)


if __name__ == "__main__":
    main()
