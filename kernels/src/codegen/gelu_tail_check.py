#!/usr/bin/env python3
"""Checks the claim behind FastMath.geluForwardPTail: with GK1_HI = 0x1.98845p0 (20 fraction bits) and
p = fma(x2, K3_HI, GK1_HI) in float32 (x2 = x·x rounded), d = GK1_HI − p is exact in float32 for every float
x with |x| ≤ 10 (the forward GELU's clamp), so fma(x2, K3_HI, d) is p's rounding error. Exhaustive over the
non-negative floats up to 10 (x2 depends on |x| only). Also prints K1's split. Needs numpy; ~1 minute.

Usage: python3 kernels/src/codegen/gelu_tail_check.py
"""
import numpy as np

f32 = np.float32
K1 = 1.5957691216057308      # 2·sqrt(2/pi) (double head; ScalarMath.K1_HI)
K3 = 0.07135481627260025     # 2·sqrt(2/pi)·0.044715 (ScalarMath.K3_HI)
GK1_HI = float.fromhex("0x1.98845p0")
K3_HI = float(f32(K3))


def main():
    assert float(f32(GK1_HI)) == GK1_HI
    print(f"GK1_HI = {GK1_HI!r} ({GK1_HI.hex()}), GK1_LO = {float(f32(K1 - GK1_HI))!r}")
    top = int(np.array(10.0, f32).view(np.int32))
    bad = 0
    for start in range(0, top + 1, 1 << 24):
        x = np.arange(start, min(start + (1 << 24), top + 1), dtype=np.int32).view(f32)
        x2 = (x.astype(np.float64) * x).astype(f32)
        # float32 FMA: the product of two floats is exact in double; the sum rounds once (to double, then to
        # float32: a double rounding can only matter on exact float32 ties, which the exactness check below
        # would report as a mismatch, not hide)
        p = (np.float64(K3_HI) * x2 + GK1_HI).astype(f32)
        d = (f32(GK1_HI) - p).astype(np.float64)
        exact = GK1_HI - p.astype(np.float64)
        bad += int(np.count_nonzero(d != exact))
    print(f"floats 0 <= x <= 10 checked: {top + 1}; GK1_HI - p inexact for {bad} of them")
    assert bad == 0


if __name__ == "__main__":
    main()
