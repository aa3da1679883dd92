#!/usr/bin/env python3
"""The numpy half of side-by-side.sh: bench/numpy_reference.py's training step (the same MLP, batch and Adam)
run for a given number of wall seconds, printing "<epoch second> <steps counted in it>" for every whole second.
Every 300 steps both sides put their weights and Adam back to the start (see side-by-side.sh for why).
Arguments: seconds to run, seconds of warm-up, and optionally a period P > 0: then only work in the seconds s
with (s // P) even and sleep in the others (so the Java side can see what running beside numpy costs it)."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import numpy as np  # noqa: E402
from numpy_reference import mlp_step_restarting  # noqa: E402

seconds, warm_up = int(sys.argv[1]), int(sys.argv[2])
period = int(sys.argv[3]) if len(sys.argv) > 3 else 0
step = mlp_step_restarting(np)
end = time.time() + warm_up
while time.time() < end:
    step()
second = int(time.time()) + 1
while int(time.time()) < second:
    step()
last, steps, out = second + seconds, 0, []
while second < last:
    if period and (second // period) % 2:
        time.sleep(max(0.0, second + 1 - time.time()))
        second = int(time.time())
        continue
    step()
    steps += 1
    now = int(time.time())
    if now != second:  # a step that straddles two seconds counts in the first, as in SideBySide.java
        out.append("%d %d" % (second, steps))
        steps, second = 0, now
print("\n".join(out))
