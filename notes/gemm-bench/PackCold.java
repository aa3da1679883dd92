// notes/gemm-bench/PackCold.java — packing a transposed A (k×m, row-major) into 12-row slivers from memory, as a
// 2048³ TN product does: the source (16 MB) is read block by block (kc = 256, mc = 96 by default, -Dmc) after 32 MB
// of other data have passed through the caches. Variants of the sliver-row copy: v0 masked loads and stores (the
// library's copyRowsIntoASlivers before the eleventh session), v1 sliver by sliver, v2 four rows at a time, v3
// unmasked loads (what the library does now where a whole vector is left in the array), v4 no masks at all.
// Standalone (no library classes):
//   javac --add-modules jdk.incubator.vector -d /tmp/pc notes/gemm-bench/PackCold.java
//   java --add-modules jdk.incubator.vector -cp /tmp/pc PackCold
// Measured 2026-11-29 on AMD Zen 5 (GB/s, three passes): v0 4.5-4.9, v3 7.9-8.9, v4 8.1-9.1; v1/v2 5.5-9.4.
import jdk.incubator.vector.*;
public class PackCold {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int L = 16, MR = 12;
    // V0: as in GemmF32.copyRowsIntoASlivers
    static void v0(float[] src, int s, int ls, float[] dst, int kc, int n) {
        VectorMask<Float> rest = S.indexInRange(0, MR);
        int ss = MR * kc;
        for (int p = 0; p < kc; p++) {
            int row = s + p * ls;
            for (int i = 0, d = p * MR; i < n; i += MR, d += ss) {
                FloatVector.fromArray(S, src, row + i, rest).intoArray(dst, d, rest);
            }
        }
    }
    // V1: sliver outer, p inner
    static void v1(float[] src, int s, int ls, float[] dst, int kc, int n) {
        VectorMask<Float> rest = S.indexInRange(0, MR);
        int ss = MR * kc;
        for (int i = 0, d0 = 0; i < n; i += MR, d0 += ss) {
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S, src, s + p * ls + i, rest).intoArray(dst, d0 + p * MR, rest);
            }
        }
    }
    // V2: p outer; 4 rows at a time (more independent streams in flight)
    static void v2(float[] src, int s, int ls, float[] dst, int kc, int n) {
        VectorMask<Float> rest = S.indexInRange(0, MR);
        int ss = MR * kc;
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            int row = s + p * ls;
            for (int i = 0, d = p * MR; i < n; i += MR, d += ss) {
                FloatVector x0 = FloatVector.fromArray(S, src, row + i, rest);
                FloatVector x1 = FloatVector.fromArray(S, src, row + ls + i, rest);
                FloatVector x2 = FloatVector.fromArray(S, src, row + 2 * ls + i, rest);
                FloatVector x3 = FloatVector.fromArray(S, src, row + 3 * ls + i, rest);
                x0.intoArray(dst, d, rest); x1.intoArray(dst, d + MR, rest); x2.intoArray(dst, d + 2 * MR, rest); x3.intoArray(dst, d + 3 * MR, rest);
            }
        }
        for (; p < kc; p++) {
            int row = s + p * ls;
            for (int i = 0, d = p * MR; i < n; i += MR, d += ss) FloatVector.fromArray(S, src, row + i, rest).intoArray(dst, d, rest);
        }
    }
    // V3: unmasked loads (in bounds here), masked stores
    static void v3(float[] src, int s, int ls, float[] dst, int kc, int n) {
        VectorMask<Float> rest = S.indexInRange(0, MR);
        int ss = MR * kc;
        for (int p = 0; p < kc; p++) {
            int row = s + p * ls;
            for (int i = 0, d = p * MR; i < n; i += MR, d += ss) {
                FloatVector.fromArray(S, src, row + i).intoArray(dst, d, rest);
            }
        }
    }
    // V4: unmasked loads and stores: a store spills 4 lanes into the next p's slot, written later (p ascending); last p masked
    static void v4(float[] src, int s, int ls, float[] dst, int kc, int n) {
        VectorMask<Float> rest = S.indexInRange(0, MR);
        int ss = MR * kc;
        int p = 0;
        for (; p < kc - 1; p++) {
            int row = s + p * ls;
            for (int i = 0, d = p * MR; i < n; i += MR, d += ss) {
                FloatVector.fromArray(S, src, row + i).intoArray(dst, d);
            }
        }
        int row = s + p * ls;
        for (int i = 0, d = p * MR; i < n; i += MR, d += ss) FloatVector.fromArray(S, src, row + i, rest).intoArray(dst, d, rest);
    }
    public static void main(String[] x) {
        int ld = Integer.getInteger("ld", 2048), kc = 256, mc = Integer.getInteger("mc", 96);
        float[] src = new float[ld * ld];
        for (int i = 0; i < src.length; i++) src[i] = i;
        float[] pa = new float[mc * kc + 64];
        float[] big = new float[8 << 20]; // 32 MB to flush caches between passes
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 6; pass++) {
            for (int v = 0; v < 5; v++) {
                long t = 0; float sink = 0;
                for (int rep = 0; rep < 3; rep++) {
                    for (int i = 0; i < big.length; i += 16) big[i] += 1; // flush
                    long t0 = tm.getCurrentThreadCpuTime();
                    for (int pc = 0; pc < ld; pc += kc)
                        for (int ic = 0; ic + mc <= ld; ic += mc) {
                            int s = pc * ld + ic;
                            if (v == 0) v0(src, s, ld, pa, kc, mc); else if (v == 1) v1(src, s, ld, pa, kc, mc); else if (v == 2) v2(src, s, ld, pa, kc, mc); else if (v == 3) v3(src, s, ld, pa, kc, mc); else v4(src, s, ld, pa, kc, mc);
                            sink += pa[5];
                        }
                    t += tm.getCurrentThreadCpuTime() - t0;
                }
                System.out.printf("v%d %.1f GB/s  ", v, 3 * 4.0 * ld * ld / t);
            }
            System.out.println();
        }
    }
}
