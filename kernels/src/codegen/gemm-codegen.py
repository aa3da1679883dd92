#!/usr/bin/env python3
"""Generates GemmF32.java and GemmF64.java (the vector GEMM, float32 and float64 twins) from one template.

Run from the repository root:  python3 kernels/src/codegen/gemm-codegen.py
The micro-kernels are written out with one explicit local per accumulator (DESIGN.md 5: vectors never in
arrays), which is tedious by hand and error-prone to mirror; hence this generator. Edit here, not the Java.
"""
import pathlib

# (rows MR, vectors per row NV) of the register tile; the driver picks one once from the vector width.
SHAPES = [(12, 2), (6, 2), (8, 3), (6, 4)]
# Narrower tiles for the last, partial sliver of A (mr < MR rows) of the 512-bit tiles: the same packed sliver read
# for fewer rows, so an edge of 4 rows does not cost the FMAs of 12 (m = 256 = 21·12 + 4 wasted 3% of the product).
EDGE_SHAPES = [(4, 2), (8, 2), (2, 4), (4, 4)]
# And a one-vector-wide tile for the last, partial sliver of B of the 12×(2·lanes) tile (nr ≤ lanes: n = 784 =
# 24·32 + 16 computed 16 padding columns per A sliver and wrote the rest element by element).
EDGE_SHAPES += [(12, 1), (8, 1), (4, 1)]


def kernel(shape, t, rows=False):
    """The micro-kernel for one tile shape. rows=False reads A as k-major slivers (a packed sliver, or a
    transposed A in place): the MR values of step p at ia + p·as + r. rows=True reads a plain (row-major) A in
    place: row r's values along k at ia + r·as + p, so one base offset per row is kept across the loop."""
    mr, nv = shape
    T, V, Z = t["T"], t["V"], t["Z"]
    name = f"kernel{mr}x{nv}" + ("rows" if rows else "")
    acc = lambda r, v: f"c{r}_{v}"
    out = []
    w = out.append
    if rows:
        w(f"    /** The {mr}×({nv}·lanes) register tile over a plain A read in place: see {{@link #microKernelRows}}. */")
    else:
        w(f"    /** The {mr}×({nv}·lanes) register tile: see {{@link #microKernel}}. */")
    w(f"    private static void {name}(int kc, {T}[] pa, int ia, int as, {T}[] pb, int ib, int bs, {T}[] c, int ic, int rsC, int csC,")
    w(f"                                 {T} alpha, {T} beta, {T}[] tile, int mr, int nr) {{")
    for r in range(mr):
        w("        " + " ".join(f"{V} {acc(r, v)} = {V}.zero(S);" for v in range(nv)))
    if rows:
        for r in range(mr):
            w(f"        int a{r} = ia + {r} * as;" if r else f"        int a0 = ia;")
    w("        for (int p = 0; p < kc; p++) {")
    if not rows:
        w(f"            int ao = ia + p * as;")
    w(f"            int bo = ib + p * bs;")
    for v in range(nv):
        off = "bo" if v == 0 else f"bo + {v} * L" if v > 1 else "bo + L"
        w(f"            {V} b{v} = {V}.fromArray(S, pb, {off});")
    w(f"            {V} a;")
    for r in range(mr):
        if rows:
            idx = f"a{r} + p"
        else:
            idx = "ao" if r == 0 else f"ao + {r}"
        w(f"            a = {V}.broadcast(S, pa[{idx}]);")
        w("            " + " ".join(f"{acc(r, v)} = a.fma(b{v}, {acc(r, v)});" for v in range(nv)))
    w("        }")
    # A full tile with beta == 0 is stored straight from the registers (alpha·acc): for short k (the k = 10
    # of a 10-class layer's backward) the round trip through the tile buffer was a tenth of the time. Every
    # other case leaves through the tile buffer: the full write-back (beta != 0, edges, transposed C) in
    # this method would double its size, and past a certain size C1 gives up on it ("out of virtual
    # registers"), which can leave the kernel stuck in slow tier-2 code (-XX:+PrintCompilation shows
    # tiers 3 and 4 compiling it as it is).
    # One test, not three: a && chain is three branches, and C2 compiles a branch that its profile never saw
    # taken as a trap. The first call of a GEMM with an edge in both m and n (256×128×784 TN, the first
    # layer's weight gradient) meets the column edge within its first row of tiles, the row edge only in its
    # last block of rows: by then C2 had compiled the kernel without that branch, so the row edge deoptimized
    # it and C2 compiled it again (100-170 ms of C2 in the CLI's first training step). With one branch, any
    # edge seen before the compilation keeps the edge path.
    w("        // loop phis from here on receivers of Vector API calls: see Species (loop-carried vectors)")
    for r in range(mr):
        w("        " + " ".join(f"{acc(r, v)} = ({V}) {acc(r, v)}.check(S);" for v in range(nv)))
    w(f"        boolean full = ((mr ^ {mr}) | (nr ^ {nv} * L) | (csC ^ 1)) == 0;")
    w(f"        if (full && beta == {Z}) {{")
    w(f"            {V} al = {V}.broadcast(S, alpha);")
    for r in range(mr):
        row = "ic" if r == 0 else f"ic + {r} * rsC"
        for v in range(nv):
            co = row if v == 0 else f"{row} + {v} * L" if v > 1 else f"{row} + L"
            w(f"            {acc(r, v)}.mul(al).intoArray(c, {co});")
    w("            return;")
    w("        }")
    for r in range(mr):
        for v in range(nv):
            # rows of the tile NR apart whatever this kernel's width: writeBack reads it so
            w(f"        {acc(r, v)}.intoArray(tile, {r} * NR + {v} * L);")
    w("        if (full) {")
    w(f"            writeTile{mr}x{nv}(tile, c, ic, rsC, alpha, beta);")
    w("        } else {")
    w(f"            writeBack(tile, c, ic, rsC, csC, alpha, beta, mr, nr);")
    w("        }")
    w("    }")
    return "\n".join(out)


def write_tile(shape, t):
    """The write-back of a full tile when beta != 0 (beta == 0 is stored from the registers in the kernel), one
    row per iteration with its vectors unrolled: for short k the loops of the general writeBack cost as much as
    the products. (Unrolled over the rows too, the method grew past what C2 inlines and the vectors were
    boxed: ten times slower.)"""
    mr, nv = shape
    T, V = t["T"], t["V"]
    out = []
    w = out.append
    w(f"    /** {{@link #writeBack}} for a full {mr}×({nv}·lanes) tile of a row-major C, beta != 0; the same arithmetic. */")
    w(f"    private static void writeTile{mr}x{nv}({T}[] tile, {T}[] c, int ic, int rsC, {T} alpha, {T} beta) {{")
    w(f"        {V} al = {V}.broadcast(S, alpha);")
    w(f"        for (int r = 0; r < {mr}; r++) {{")
    w(f"            int row = ic + r * rsC, t = r * NR;")
    for v in range(nv):
        o = "" if v == 0 else " + L" if v == 1 else f" + {v} * L"
        w(f"            {V}.fromArray(S, tile, t{o}).fma(al, {V}.fromArray(S, c, row{o}).mul(beta)).intoArray(c, row{o});")
    w("        }")
    w("    }")
    return "\n".join(out)


def transpose(lanes, t):
    """transposeRows for one lane count, written out: a block of `lanes` rows × `lanes` columns is loaded row by row,
    transposed with log2(lanes) rounds of two-vector lane selections (see TRANSPOSE_INDEX in the template) and
    stored column by column. The vectors live in locals only (DESIGN.md 5).

    At 16 lanes the four rounds are two methods of two rounds each, the block passing through `scratch` in
    between: C1 gave up on a method with all four ("out of virtual registers"), and a method C1 cannot compile
    was seen to stay in its first, barely optimized (tier 2) code for good instead of reaching C2: 0.8 GB/s."""
    T = t["T"]
    rounds = lanes.bit_length() - 1
    out = []
    w = out.append
    w(f"    /**")
    w(f"     * {{@link #transposeRows}} for whole blocks at {lanes} lanes (kc a multiple of {lanes}, valid > 0). Rows from")
    w(f"     * {{@code valid}} on are read from the last valid row, which is in bounds, and zeroed after the transpose.")
    if rounds > 3:
        w(f"     * In two passes over the blocks, through {{@code scratch}} (kc·L values), as C1 cannot compile all {rounds} rounds")
        w(f"     * in one method (see gemm-codegen.py).")
    w(f"     */")
    w(f"    private static int transposeRows{lanes}({T}[] src, int s, int ls, {T}[] dst, int d, int ds, int kc, int valid,")
    w(f"                                       int width, {T}[] scratch) {{")
    if rounds <= 3:
        body(w, t, lanes, 0, rounds, "rows", "dst")
        w(f"        return kc;")
        w(f"    }}")
        return "\n".join(out)
    half = rounds // 2
    w(f"        transposeRows{lanes}Start(src, s, ls, scratch, kc, valid);")
    w(f"        transposeRows{lanes}Finish(scratch, dst, d, ds, kc, valid, width);")
    w(f"        return kc;")
    w(f"    }}")
    w("")
    w(f"    /** Rounds 0..{half - 1} of {{@link #transposeRows{lanes}}}: rows of src to scratch, block p at scratch[p·L ..]. */")
    w(f"    private static void transposeRows{lanes}Start({T}[] src, int s, int ls, {T}[] scratch, int kc, int valid) {{")
    body(w, t, lanes, 0, half, "rows", "scratch")
    w(f"    }}")
    w("")
    w(f"    /** Rounds {half}..{rounds - 1} of {{@link #transposeRows{lanes}}}: scratch to the columns of dst. */")
    w(f"    private static void transposeRows{lanes}Finish({T}[] scratch, {T}[] dst, int d, int ds, int kc, int valid, int width) {{")
    body(w, t, lanes, half, rounds, "scratch", "dst")
    w(f"    }}")
    return "\n".join(out)


def body(w, t, lanes, first, last, src, dst):
    """The loop over blocks doing rounds first..last-1; src "rows" (the source matrix) or "scratch", dst "dst" (the
    sliver, zero-padded and masked) or "scratch"."""
    V, B = t["V"], t["B"]
    for b in range(first, last):
        w(f"        {V} lo{b} = {V}.fromArray(S, TRANSPOSE_INDEX, {2 * b} * L);")
        w(f"        {V} hi{b} = {V}.fromArray(S, TRANSPOSE_INDEX, {2 * b + 1} * L);")
    if dst == "dst":
        w(f"        VectorMask<{B}> pad = S.indexInRange(0, valid).not();")
        w(f"        VectorMask<{B}> out = S.indexInRange(0, width);")
    if src == "rows":
        for q in range(1, lanes):
            w(f"        int o{q} = Math.min({q}, valid - 1) * ls;")
    w(f"        for (int p = 0; p < kc; p += {lanes}) {{")
    if src == "rows":
        w(f"            int o = s + p;")
        w(f"            {V} r0 = {V}.fromArray(S, src, o);")
        for q in range(1, lanes):
            w(f"            {V} r{q} = {V}.fromArray(S, src, o + o{q});")
    else:
        w(f"            int o = p * L;")
        for q in range(lanes):
            off = "o" if q == 0 else "o + L" if q == 1 else f"o + {q} * L"
            w(f"            {V} r{q} = {V}.fromArray(S, scratch, {off});")
    w(f"            {V} x;")
    for b in range(first, last):
        h = 1 << b
        for x in range(lanes):
            if x & h == 0:
                y = x + h
                w(f"            x = lo{b}.selectFrom(r{x}, r{y}); r{y} = hi{b}.selectFrom(r{x}, r{y}); r{x} = x;")
    if dst == "dst":
        w(f"            int at = d + p * ds;")
        for c in range(lanes):
            off = "at" if c == 0 else "at + ds" if c == 1 else f"at + {c} * ds"
            w(f"            r{c}.blend(0, pad).intoArray(dst, {off}, out);")
    else:
        w(f"            int at = p * L;")
        for q in range(lanes):
            off = "at" if q == 0 else "at + L" if q == 1 else f"at + {q} * L"
            w(f"            r{q}.intoArray(scratch, {off});")
    w(f"        }}")


def render(t):
    text = pathlib.Path(__file__).with_name("gemm-template.java").read_text()
    kernels = "\n\n".join([kernel(s, t, rows) for rows in (False, True) for s in SHAPES]
                           + [kernel(s, t) for s in EDGE_SHAPES]
                           + [write_tile(s, t) for s in SHAPES + EDGE_SHAPES])
    text = text.replace("/*KERNELS*/", kernels)
    lanes = t["TRANSPOSE_LANES"]
    text = text.replace("/*TRANSPOSES*/", "\n\n".join(transpose(n, t) for n in lanes))
    text = text.replace("$TRANSPOSE_CASES$", "\n".join(
        f"                case {n} -> transposeRows{n}(src, s, ls, dst, d, ds, whole, valid, width, scratch);" for n in lanes))
    for key, val in t.items():
        if not isinstance(val, str):
            continue
        text = text.replace("$" + key + "$", val)
    return text


TYPES = {
    "F32": dict(T="float", V="FloatVector", B="Float", SP="Species.F", LN="Species.FL", Z="0f", ONE="1f",
                N="GemmF32", TWIN="GemmF64", P="float32", KC="256", TRANSPOSE_LANES=(4, 8, 16)),
    "F64": dict(T="double", V="DoubleVector", B="Double", SP="Species.D", LN="Species.DL", Z="0d", ONE="1d",
                N="GemmF64", TWIN="GemmF32", P="float64", KC="192", TRANSPOSE_LANES=(4, 8)),
}

# Each precision is generated twice, differing only in the 512-bit register tile: GemmF32 (12x2) for most
# problems, GemmF32Small (6x4) for outputs at most MAX_N columns wide, where Gemm sends them.
VARIANTS = {
    "": dict(MR512="12", NV512="2", TILEPROP="vecprop.gemmTile", TILE512="12×(2·lanes)", FIELDS="",
             VARIANT=""" * <p>At 512 bits, outputs at most {@link $N$Small#MAX_N} columns wide go to {@link $N$Small} instead
 * ({@link Gemm} chooses): the same code generated with a 6×(4·lanes) tile."""),
    "Small": dict(MR512="6", NV512="4", TILEPROP="vecprop.gemmTileSmall", TILE512="6×(4·lanes)",
                  FIELDS="""
    /** Widest output (n) that {@link Gemm} sends here rather than to {@link $BASE$}. */
    static final int MAX_N = 256;
    /** Whether the tile differs from {@link $BASE$}'s (at 512 bits); if not, this class is not used. */
    static final boolean DISTINCT = MR != $BASE$.MR || NV != $BASE$.NV;""",
                  VARIANT=""" * <p>The same code as {@link $BASE$}, generated with a 6×(4·lanes) register tile at 512 bits instead of
 * 12×(2·lanes), for outputs at most {@link #MAX_N} columns wide ({@link Gemm} chooses): per k step it broadcasts
 * 6 values of A instead of 12 for the same 24 FMAs, and loads 4 vectors of B instead of 2. In one JVM, taking
 * turns with the 12×2 tile (notes/gemm-bench/InJvmAB.java; shapes m×k×n), float was 2-35% faster at 64³-256³
 * and on the MLP shapes 128×784×256, 128×256×128 and 128×10×256, double 13-29% at 256³; at n = 384-784 (and
 * 32×512×512) the 6×4 tile was 0-9% slower, its B slivers streaming from L2 twice as fast, so wider outputs stay
 * on 12×2 (at other widths both classes have the same tile, and this one is unused). The results are bitwise
 * those of $BASE$: the tile does not change any element's order of summation."""),
}

if __name__ == "__main__":
    root = pathlib.Path("kernels/src/main/java/dev/vecprop/kernels")
    for suffix, t in TYPES.items():
        for variant, v in VARIANTS.items():
            tv = dict(t)
            base = t["N"]
            tv.update({key: val.replace("$N$", base).replace("$BASE$", base) for key, val in v.items()})
            tv["N"] = base + variant
            tv["TWIN"] = t["TWIN"] + variant
            tv["OTHER"] = base + ("" if variant else "Small")
            (root / f"{tv['N']}.java").write_text(render(tv))
            print("wrote", root / f"{tv['N']}.java")
