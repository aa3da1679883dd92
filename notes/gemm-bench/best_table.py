# notes/gemm-bench/best_table.py — reads the output of several alternating Quick / np_best rounds (stdin) and prints,
# per shape, the best GFLOPS each side reached in any round and their ratio. The best over rounds taken minutes
# apart estimates what each library does when the shared host leaves it alone; the round-by-round spread is printed
# too, so a figure that only one lucky round reached is visible.
import re, sys, collections
best = collections.defaultdict(list)
for line in sys.stdin:
    m = re.match(r"(numpy )?(f32|f64) (\S+)\s+(\S\S) best ([\d.]+) GFLOPS", line.strip())
    if m:
        best[(m.group(2), m.group(3), m.group(4), "numpy" if m.group(1) else "vecprop")].append(float(m.group(5)))
shapes = []
for (p, sh, tr, lib) in best:
    if (p, sh, tr) not in shapes:
        shapes.append((p, sh, tr))
print("| precision | shape (MxKxN) | op | vecprop best (rounds) | OpenBLAS best (rounds) | ratio of bests |")
print("|---|---|---|---|---|---:|")
for p, sh, tr in shapes:
    v, o = best.get((p, sh, tr, "vecprop"), []), best.get((p, sh, tr, "numpy"), [])
    fmt = lambda xs: "%.0f (%s)" % (max(xs), " ".join("%.0f" % x for x in xs)) if xs else "-"
    ratio = "%.2f" % (max(v) / max(o)) if v and o else "-"
    print("| %s | %s | %s | %s | %s | %s |" % (p, sh, tr, fmt(v), fmt(o), ratio))
