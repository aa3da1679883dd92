// notes/gemm-bench/stream-probe/Stream3.java — generated probe (third session): single-thread read bandwidth of dot-product loop
// shapes over a 4096x4096 float matrix (64 MB), GB/s by thread CPU time. Compile and run with the JDK 25 and
// --add-modules jdk.incubator.vector (default package). Stream3 adds loads 64-1024 floats ahead as a stand-in for prefetch.
import jdk.incubator.vector.*;
public class Stream3 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static float r8pf0(float[] a, int rows, int ld, float[] x, float[] junkOut) {
        float tot = 0;
        FloatVector junk = FloatVector.zero(S);
        for (int r = 0; r + 8 <= rows; r += 8) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            int o6 = base + 6 * ld;
            int o7 = base + 7 * ld;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            FloatVector s4 = FloatVector.zero(S);
            FloatVector s5 = FloatVector.zero(S);
            FloatVector s6 = FloatVector.zero(S);
            FloatVector s7 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += L) {
                int q = Math.min(p + 0, ld - L);
                FloatVector xv = FloatVector.fromArray(S, x, p);
                s0 = xv.fma(FloatVector.fromArray(S, a, o0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, a, o1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, a, o2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, a, o3 + p), s3);
                s4 = xv.fma(FloatVector.fromArray(S, a, o4 + p), s4);
                s5 = xv.fma(FloatVector.fromArray(S, a, o5 + p), s5);
                s6 = xv.fma(FloatVector.fromArray(S, a, o6 + p), s6);
                s7 = xv.fma(FloatVector.fromArray(S, a, o7 + p), s7);
            }
            tot += s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD) + s2.reduceLanes(VectorOperators.ADD) + s3.reduceLanes(VectorOperators.ADD) + s4.reduceLanes(VectorOperators.ADD) + s5.reduceLanes(VectorOperators.ADD) + s6.reduceLanes(VectorOperators.ADD) + s7.reduceLanes(VectorOperators.ADD);
        }
        junk.intoArray(junkOut, 0);
        return tot;
    }
    static float r8pf64(float[] a, int rows, int ld, float[] x, float[] junkOut) {
        float tot = 0;
        FloatVector junk = FloatVector.zero(S);
        for (int r = 0; r + 8 <= rows; r += 8) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            int o6 = base + 6 * ld;
            int o7 = base + 7 * ld;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            FloatVector s4 = FloatVector.zero(S);
            FloatVector s5 = FloatVector.zero(S);
            FloatVector s6 = FloatVector.zero(S);
            FloatVector s7 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += L) {
                int q = Math.min(p + 64, ld - L);
                FloatVector xv = FloatVector.fromArray(S, x, p);
                s0 = xv.fma(FloatVector.fromArray(S, a, o0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, a, o1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, a, o2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, a, o3 + p), s3);
                s4 = xv.fma(FloatVector.fromArray(S, a, o4 + p), s4);
                s5 = xv.fma(FloatVector.fromArray(S, a, o5 + p), s5);
                s6 = xv.fma(FloatVector.fromArray(S, a, o6 + p), s6);
                s7 = xv.fma(FloatVector.fromArray(S, a, o7 + p), s7);
                junk = junk.max(FloatVector.fromArray(S, a, o0 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o1 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o2 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o3 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o4 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o5 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o6 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o7 + q));
            }
            tot += s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD) + s2.reduceLanes(VectorOperators.ADD) + s3.reduceLanes(VectorOperators.ADD) + s4.reduceLanes(VectorOperators.ADD) + s5.reduceLanes(VectorOperators.ADD) + s6.reduceLanes(VectorOperators.ADD) + s7.reduceLanes(VectorOperators.ADD);
        }
        junk.intoArray(junkOut, 0);
        return tot;
    }
    static float r8pf256(float[] a, int rows, int ld, float[] x, float[] junkOut) {
        float tot = 0;
        FloatVector junk = FloatVector.zero(S);
        for (int r = 0; r + 8 <= rows; r += 8) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            int o6 = base + 6 * ld;
            int o7 = base + 7 * ld;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            FloatVector s4 = FloatVector.zero(S);
            FloatVector s5 = FloatVector.zero(S);
            FloatVector s6 = FloatVector.zero(S);
            FloatVector s7 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += L) {
                int q = Math.min(p + 256, ld - L);
                FloatVector xv = FloatVector.fromArray(S, x, p);
                s0 = xv.fma(FloatVector.fromArray(S, a, o0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, a, o1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, a, o2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, a, o3 + p), s3);
                s4 = xv.fma(FloatVector.fromArray(S, a, o4 + p), s4);
                s5 = xv.fma(FloatVector.fromArray(S, a, o5 + p), s5);
                s6 = xv.fma(FloatVector.fromArray(S, a, o6 + p), s6);
                s7 = xv.fma(FloatVector.fromArray(S, a, o7 + p), s7);
                junk = junk.max(FloatVector.fromArray(S, a, o0 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o1 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o2 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o3 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o4 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o5 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o6 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o7 + q));
            }
            tot += s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD) + s2.reduceLanes(VectorOperators.ADD) + s3.reduceLanes(VectorOperators.ADD) + s4.reduceLanes(VectorOperators.ADD) + s5.reduceLanes(VectorOperators.ADD) + s6.reduceLanes(VectorOperators.ADD) + s7.reduceLanes(VectorOperators.ADD);
        }
        junk.intoArray(junkOut, 0);
        return tot;
    }
    static float r8pf1024(float[] a, int rows, int ld, float[] x, float[] junkOut) {
        float tot = 0;
        FloatVector junk = FloatVector.zero(S);
        for (int r = 0; r + 8 <= rows; r += 8) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            int o6 = base + 6 * ld;
            int o7 = base + 7 * ld;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            FloatVector s4 = FloatVector.zero(S);
            FloatVector s5 = FloatVector.zero(S);
            FloatVector s6 = FloatVector.zero(S);
            FloatVector s7 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += L) {
                int q = Math.min(p + 1024, ld - L);
                FloatVector xv = FloatVector.fromArray(S, x, p);
                s0 = xv.fma(FloatVector.fromArray(S, a, o0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, a, o1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, a, o2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, a, o3 + p), s3);
                s4 = xv.fma(FloatVector.fromArray(S, a, o4 + p), s4);
                s5 = xv.fma(FloatVector.fromArray(S, a, o5 + p), s5);
                s6 = xv.fma(FloatVector.fromArray(S, a, o6 + p), s6);
                s7 = xv.fma(FloatVector.fromArray(S, a, o7 + p), s7);
                junk = junk.max(FloatVector.fromArray(S, a, o0 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o1 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o2 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o3 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o4 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o5 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o6 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o7 + q));
            }
            tot += s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD) + s2.reduceLanes(VectorOperators.ADD) + s3.reduceLanes(VectorOperators.ADD) + s4.reduceLanes(VectorOperators.ADD) + s5.reduceLanes(VectorOperators.ADD) + s6.reduceLanes(VectorOperators.ADD) + s7.reduceLanes(VectorOperators.ADD);
        }
        junk.intoArray(junkOut, 0);
        return tot;
    }
    static float r4pf256(float[] a, int rows, int ld, float[] x, float[] junkOut) {
        float tot = 0;
        FloatVector junk = FloatVector.zero(S);
        for (int r = 0; r + 4 <= rows; r += 4) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += L) {
                int q = Math.min(p + 256, ld - L);
                FloatVector xv = FloatVector.fromArray(S, x, p);
                s0 = xv.fma(FloatVector.fromArray(S, a, o0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, a, o1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, a, o2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, a, o3 + p), s3);
                junk = junk.max(FloatVector.fromArray(S, a, o0 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o1 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o2 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o3 + q));
            }
            tot += s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD) + s2.reduceLanes(VectorOperators.ADD) + s3.reduceLanes(VectorOperators.ADD);
        }
        junk.intoArray(junkOut, 0);
        return tot;
    }
    static float r4pf1024(float[] a, int rows, int ld, float[] x, float[] junkOut) {
        float tot = 0;
        FloatVector junk = FloatVector.zero(S);
        for (int r = 0; r + 4 <= rows; r += 4) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += L) {
                int q = Math.min(p + 1024, ld - L);
                FloatVector xv = FloatVector.fromArray(S, x, p);
                s0 = xv.fma(FloatVector.fromArray(S, a, o0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, a, o1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, a, o2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, a, o3 + p), s3);
                junk = junk.max(FloatVector.fromArray(S, a, o0 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o1 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o2 + q));
                junk = junk.max(FloatVector.fromArray(S, a, o3 + q));
            }
            tot += s0.reduceLanes(VectorOperators.ADD) + s1.reduceLanes(VectorOperators.ADD) + s2.reduceLanes(VectorOperators.ADD) + s3.reduceLanes(VectorOperators.ADD);
        }
        junk.intoArray(junkOut, 0);
        return tot;
    }
    public static void main(String[] args) {
        int n = 4096;
        float[] a = new float[n * n], x = new float[n], junk = new float[L];
        java.util.Arrays.fill(a, 1f); java.util.Arrays.fill(x, 0.5f);
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        float sink = 0;
        System.out.println("r8pf0 r8pf64 r8pf256 r8pf1024 r4pf256 r4pf1024");
        for (int pass = 0; pass < 5; pass++) {
            long[] b = new long[6];
            java.util.Arrays.fill(b, Long.MAX_VALUE);
            long t0;
            for (int r = 0; r < 8; r++) {
                t0 = tm.getCurrentThreadCpuTime(); sink += r8pf0(a, n, n, x, junk); b[0] = Math.min(b[0], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r8pf64(a, n, n, x, junk); b[1] = Math.min(b[1], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r8pf256(a, n, n, x, junk); b[2] = Math.min(b[2], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r8pf1024(a, n, n, x, junk); b[3] = Math.min(b[3], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r4pf256(a, n, n, x, junk); b[4] = Math.min(b[4], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r4pf1024(a, n, n, x, junk); b[5] = Math.min(b[5], tm.getCurrentThreadCpuTime() - t0);
            }
            StringBuilder sb = new StringBuilder();
            for (long v : b) sb.append(String.format("%.1f ", 4.0 * n * n / v));
            System.out.println(sb);
        }
        if (sink == 42) System.out.println();
    }
}
