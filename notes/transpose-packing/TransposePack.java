import jdk.incubator.vector.*;
public class TransposePack {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int NR = 2 * L;
    // stage index vectors: for block size g, out_lo[q] = (q&g)==0 ? x[q] : y[q-g] ; out_hi[q] = (q&g)==0 ? x[q+g] : y[q]
    static final FloatVector[] LO = new FloatVector[5], HI = new FloatVector[5];
    static {
        int st = 0;
        for (int g = L / 2; g >= 1; g /= 2, st++) {
            float[] lo = new float[L], hi = new float[L];
            for (int q = 0; q < L; q++) {
                lo[q] = (q & g) == 0 ? q : L + q - g;
                hi[q] = (q & g) == 0 ? q + g : L + q;
            }
            LO[st] = FloatVector.fromArray(S, lo, 0);
            HI[st] = FloatVector.fromArray(S, hi, 0);
        }
    }
    static void gather(float[] b, int ldb, int jc, int pc, int kc, int nc, float[] pb, int[] index) {
        for (int q = 0; q < L; q++) index[q] = q * ldb;
        for (int jr = 0; jr < nc; jr += NR)
            for (int v = 0; v < 2; v++) {
                int s = (jc + jr + v * L) * ldb + pc, d = jr * kc + v * L;
                for (int p = 0; p < kc; p++) FloatVector.fromArray(S, b, s + p, index, 0).intoArray(pb, d + p * NR);
            }
    }
    static void transpose(float[] b, int ldb, int jc, int pc, int kc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR)
            for (int v = 0; v < 2; v++) {
                int s = (jc + jr + v * L) * ldb + pc, d = jr * kc + v * L;
                for (int p = 0; p < kc; p += L) block16(b, s + p, ldb, pb, d + p * NR, NR);
            }
    }
    // 16x16 block: rows r of src (stride ls) -> columns of dst (rows of dst stride ds)
    static void block16(float[] src, int s, int ls, float[] dst, int d, int ds) {
        FloatVector r0 = FloatVector.fromArray(S, src, s), r1 = FloatVector.fromArray(S, src, s + ls),
            r2 = FloatVector.fromArray(S, src, s + 2 * ls), r3 = FloatVector.fromArray(S, src, s + 3 * ls),
            r4 = FloatVector.fromArray(S, src, s + 4 * ls), r5 = FloatVector.fromArray(S, src, s + 5 * ls),
            r6 = FloatVector.fromArray(S, src, s + 6 * ls), r7 = FloatVector.fromArray(S, src, s + 7 * ls),
            r8 = FloatVector.fromArray(S, src, s + 8 * ls), r9 = FloatVector.fromArray(S, src, s + 9 * ls),
            r10 = FloatVector.fromArray(S, src, s + 10 * ls), r11 = FloatVector.fromArray(S, src, s + 11 * ls),
            r12 = FloatVector.fromArray(S, src, s + 12 * ls), r13 = FloatVector.fromArray(S, src, s + 13 * ls),
            r14 = FloatVector.fromArray(S, src, s + 14 * ls), r15 = FloatVector.fromArray(S, src, s + 15 * ls);
        FloatVector t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15;
        FloatVector lo = LO[0], hi = HI[0];  // g = 8: pairs (i, i+8)
        t0 = lo.selectFrom(r0, r8); t8 = hi.selectFrom(r0, r8);
        t1 = lo.selectFrom(r1, r9); t9 = hi.selectFrom(r1, r9);
        t2 = lo.selectFrom(r2, r10); t10 = hi.selectFrom(r2, r10);
        t3 = lo.selectFrom(r3, r11); t11 = hi.selectFrom(r3, r11);
        t4 = lo.selectFrom(r4, r12); t12 = hi.selectFrom(r4, r12);
        t5 = lo.selectFrom(r5, r13); t13 = hi.selectFrom(r5, r13);
        t6 = lo.selectFrom(r6, r14); t14 = hi.selectFrom(r6, r14);
        t7 = lo.selectFrom(r7, r15); t15 = hi.selectFrom(r7, r15);
        lo = LO[1]; hi = HI[1]; // g = 4: pairs (i, i+4)
        r0 = lo.selectFrom(t0, t4); r4 = hi.selectFrom(t0, t4);
        r1 = lo.selectFrom(t1, t5); r5 = hi.selectFrom(t1, t5);
        r2 = lo.selectFrom(t2, t6); r6 = hi.selectFrom(t2, t6);
        r3 = lo.selectFrom(t3, t7); r7 = hi.selectFrom(t3, t7);
        r8 = lo.selectFrom(t8, t12); r12 = hi.selectFrom(t8, t12);
        r9 = lo.selectFrom(t9, t13); r13 = hi.selectFrom(t9, t13);
        r10 = lo.selectFrom(t10, t14); r14 = hi.selectFrom(t10, t14);
        r11 = lo.selectFrom(t11, t15); r15 = hi.selectFrom(t11, t15);
        lo = LO[2]; hi = HI[2]; // g = 2
        t0 = lo.selectFrom(r0, r2); t2 = hi.selectFrom(r0, r2);
        t1 = lo.selectFrom(r1, r3); t3 = hi.selectFrom(r1, r3);
        t4 = lo.selectFrom(r4, r6); t6 = hi.selectFrom(r4, r6);
        t5 = lo.selectFrom(r5, r7); t7 = hi.selectFrom(r5, r7);
        t8 = lo.selectFrom(r8, r10); t10 = hi.selectFrom(r8, r10);
        t9 = lo.selectFrom(r9, r11); t11 = hi.selectFrom(r9, r11);
        t12 = lo.selectFrom(r12, r14); t14 = hi.selectFrom(r12, r14);
        t13 = lo.selectFrom(r13, r15); t15 = hi.selectFrom(r13, r15);
        lo = LO[3]; hi = HI[3]; // g = 1
        lo.selectFrom(t0, t1).intoArray(dst, d); hi.selectFrom(t0, t1).intoArray(dst, d + ds);
        lo.selectFrom(t2, t3).intoArray(dst, d + 2 * ds); hi.selectFrom(t2, t3).intoArray(dst, d + 3 * ds);
        lo.selectFrom(t4, t5).intoArray(dst, d + 4 * ds); hi.selectFrom(t4, t5).intoArray(dst, d + 5 * ds);
        lo.selectFrom(t6, t7).intoArray(dst, d + 6 * ds); hi.selectFrom(t6, t7).intoArray(dst, d + 7 * ds);
        lo.selectFrom(t8, t9).intoArray(dst, d + 8 * ds); hi.selectFrom(t8, t9).intoArray(dst, d + 9 * ds);
        lo.selectFrom(t10, t11).intoArray(dst, d + 10 * ds); hi.selectFrom(t10, t11).intoArray(dst, d + 11 * ds);
        lo.selectFrom(t12, t13).intoArray(dst, d + 12 * ds); hi.selectFrom(t12, t13).intoArray(dst, d + 13 * ds);
        lo.selectFrom(t14, t15).intoArray(dst, d + 14 * ds); hi.selectFrom(t14, t15).intoArray(dst, d + 15 * ds);
    }
    public static void main(String[] x) {
        int ldb = 784, n = 256, kc = 256;
        float[] b = new float[n * ldb];
        for (int i = 0; i < b.length; i++) b[i] = i;
        float[] p1 = new float[n * kc], p2 = new float[n * kc];
        int[] index = new int[2 * L];
        gather(b, ldb, 0, 256, kc, n, p1, index);
        transpose(b, ldb, 0, 256, kc, n, p2);
        System.out.println("equal: " + java.util.Arrays.equals(p1, p2) + " L=" + L);
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 6; pass++) {
            long bg = Long.MAX_VALUE, bt = Long.MAX_VALUE;
            for (int r = 0; r < 20; r++) {
                long t0 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 50; it++) gather(b, ldb, 0, (it % 3) * 256, kc, n, p1, index);
                long t1 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 50; it++) transpose(b, ldb, 0, (it % 3) * 256, kc, n, p2);
                long t2 = tm.getCurrentThreadCpuTime();
                bg = Math.min(bg, t1 - t0); bt = Math.min(bt, t2 - t1);
            }
            double bytes = 4.0 * 50 * n * kc;
            System.out.printf("gather %.1f GB/s  transpose %.1f GB/s  ratio %.2f%n", bytes / bg, bytes / bt, (double) bg / bt);
        }
    }
}
