// notes/gemm-bench/stream-probe/Stream2.java — generated probe (third session): single-thread read bandwidth of dot-product loop
// shapes over a 4096x4096 float matrix (64 MB), GB/s by thread CPU time. Compile and run with the JDK 25 and
// --add-modules jdk.incubator.vector (default package). Stream3 adds loads 64-1024 floats ahead as a stand-in for prefetch.
import jdk.incubator.vector.*;
public class Stream2 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static float r4u1(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
        for (int r = 0; r + 4 <= rows; r += 4) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 1 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    static float r4u2(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
        for (int r = 0; r + 4 <= rows; r += 4) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s0_1 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s1_1 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s2_1 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            FloatVector s3_1 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                FloatVector x1 = FloatVector.fromArray(S, x, p + 1 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s0_1 = x1.fma(FloatVector.fromArray(S, a, o0 + p + 1 * L), s0_1);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s1_1 = x1.fma(FloatVector.fromArray(S, a, o1 + p + 1 * L), s1_1);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s2_1 = x1.fma(FloatVector.fromArray(S, a, o2 + p + 1 * L), s2_1);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
                s3_1 = x1.fma(FloatVector.fromArray(S, a, o3 + p + 1 * L), s3_1);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s0_1.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s1_1.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s2_1.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD) + s3_1.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    static float r8u1(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
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
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            FloatVector s4_0 = FloatVector.zero(S);
            FloatVector s5_0 = FloatVector.zero(S);
            FloatVector s6_0 = FloatVector.zero(S);
            FloatVector s7_0 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 1 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
                s4_0 = x0.fma(FloatVector.fromArray(S, a, o4 + p + 0 * L), s4_0);
                s5_0 = x0.fma(FloatVector.fromArray(S, a, o5 + p + 0 * L), s5_0);
                s6_0 = x0.fma(FloatVector.fromArray(S, a, o6 + p + 0 * L), s6_0);
                s7_0 = x0.fma(FloatVector.fromArray(S, a, o7 + p + 0 * L), s7_0);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD) + s4_0.reduceLanes(VectorOperators.ADD) + s5_0.reduceLanes(VectorOperators.ADD) + s6_0.reduceLanes(VectorOperators.ADD) + s7_0.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    static float r8u2(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
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
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s0_1 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s1_1 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s2_1 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            FloatVector s3_1 = FloatVector.zero(S);
            FloatVector s4_0 = FloatVector.zero(S);
            FloatVector s4_1 = FloatVector.zero(S);
            FloatVector s5_0 = FloatVector.zero(S);
            FloatVector s5_1 = FloatVector.zero(S);
            FloatVector s6_0 = FloatVector.zero(S);
            FloatVector s6_1 = FloatVector.zero(S);
            FloatVector s7_0 = FloatVector.zero(S);
            FloatVector s7_1 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                FloatVector x1 = FloatVector.fromArray(S, x, p + 1 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s0_1 = x1.fma(FloatVector.fromArray(S, a, o0 + p + 1 * L), s0_1);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s1_1 = x1.fma(FloatVector.fromArray(S, a, o1 + p + 1 * L), s1_1);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s2_1 = x1.fma(FloatVector.fromArray(S, a, o2 + p + 1 * L), s2_1);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
                s3_1 = x1.fma(FloatVector.fromArray(S, a, o3 + p + 1 * L), s3_1);
                s4_0 = x0.fma(FloatVector.fromArray(S, a, o4 + p + 0 * L), s4_0);
                s4_1 = x1.fma(FloatVector.fromArray(S, a, o4 + p + 1 * L), s4_1);
                s5_0 = x0.fma(FloatVector.fromArray(S, a, o5 + p + 0 * L), s5_0);
                s5_1 = x1.fma(FloatVector.fromArray(S, a, o5 + p + 1 * L), s5_1);
                s6_0 = x0.fma(FloatVector.fromArray(S, a, o6 + p + 0 * L), s6_0);
                s6_1 = x1.fma(FloatVector.fromArray(S, a, o6 + p + 1 * L), s6_1);
                s7_0 = x0.fma(FloatVector.fromArray(S, a, o7 + p + 0 * L), s7_0);
                s7_1 = x1.fma(FloatVector.fromArray(S, a, o7 + p + 1 * L), s7_1);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s0_1.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s1_1.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s2_1.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD) + s3_1.reduceLanes(VectorOperators.ADD) + s4_0.reduceLanes(VectorOperators.ADD) + s4_1.reduceLanes(VectorOperators.ADD) + s5_0.reduceLanes(VectorOperators.ADD) + s5_1.reduceLanes(VectorOperators.ADD) + s6_0.reduceLanes(VectorOperators.ADD) + s6_1.reduceLanes(VectorOperators.ADD) + s7_0.reduceLanes(VectorOperators.ADD) + s7_1.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    static float r16u1(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
        for (int r = 0; r + 16 <= rows; r += 16) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            int o6 = base + 6 * ld;
            int o7 = base + 7 * ld;
            int o8 = base + 8 * ld;
            int o9 = base + 9 * ld;
            int o10 = base + 10 * ld;
            int o11 = base + 11 * ld;
            int o12 = base + 12 * ld;
            int o13 = base + 13 * ld;
            int o14 = base + 14 * ld;
            int o15 = base + 15 * ld;
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            FloatVector s4_0 = FloatVector.zero(S);
            FloatVector s5_0 = FloatVector.zero(S);
            FloatVector s6_0 = FloatVector.zero(S);
            FloatVector s7_0 = FloatVector.zero(S);
            FloatVector s8_0 = FloatVector.zero(S);
            FloatVector s9_0 = FloatVector.zero(S);
            FloatVector s10_0 = FloatVector.zero(S);
            FloatVector s11_0 = FloatVector.zero(S);
            FloatVector s12_0 = FloatVector.zero(S);
            FloatVector s13_0 = FloatVector.zero(S);
            FloatVector s14_0 = FloatVector.zero(S);
            FloatVector s15_0 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 1 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
                s4_0 = x0.fma(FloatVector.fromArray(S, a, o4 + p + 0 * L), s4_0);
                s5_0 = x0.fma(FloatVector.fromArray(S, a, o5 + p + 0 * L), s5_0);
                s6_0 = x0.fma(FloatVector.fromArray(S, a, o6 + p + 0 * L), s6_0);
                s7_0 = x0.fma(FloatVector.fromArray(S, a, o7 + p + 0 * L), s7_0);
                s8_0 = x0.fma(FloatVector.fromArray(S, a, o8 + p + 0 * L), s8_0);
                s9_0 = x0.fma(FloatVector.fromArray(S, a, o9 + p + 0 * L), s9_0);
                s10_0 = x0.fma(FloatVector.fromArray(S, a, o10 + p + 0 * L), s10_0);
                s11_0 = x0.fma(FloatVector.fromArray(S, a, o11 + p + 0 * L), s11_0);
                s12_0 = x0.fma(FloatVector.fromArray(S, a, o12 + p + 0 * L), s12_0);
                s13_0 = x0.fma(FloatVector.fromArray(S, a, o13 + p + 0 * L), s13_0);
                s14_0 = x0.fma(FloatVector.fromArray(S, a, o14 + p + 0 * L), s14_0);
                s15_0 = x0.fma(FloatVector.fromArray(S, a, o15 + p + 0 * L), s15_0);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD) + s4_0.reduceLanes(VectorOperators.ADD) + s5_0.reduceLanes(VectorOperators.ADD) + s6_0.reduceLanes(VectorOperators.ADD) + s7_0.reduceLanes(VectorOperators.ADD) + s8_0.reduceLanes(VectorOperators.ADD) + s9_0.reduceLanes(VectorOperators.ADD) + s10_0.reduceLanes(VectorOperators.ADD) + s11_0.reduceLanes(VectorOperators.ADD) + s12_0.reduceLanes(VectorOperators.ADD) + s13_0.reduceLanes(VectorOperators.ADD) + s14_0.reduceLanes(VectorOperators.ADD) + s15_0.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    static float r12u1(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
        for (int r = 0; r + 12 <= rows; r += 12) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            int o6 = base + 6 * ld;
            int o7 = base + 7 * ld;
            int o8 = base + 8 * ld;
            int o9 = base + 9 * ld;
            int o10 = base + 10 * ld;
            int o11 = base + 11 * ld;
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            FloatVector s4_0 = FloatVector.zero(S);
            FloatVector s5_0 = FloatVector.zero(S);
            FloatVector s6_0 = FloatVector.zero(S);
            FloatVector s7_0 = FloatVector.zero(S);
            FloatVector s8_0 = FloatVector.zero(S);
            FloatVector s9_0 = FloatVector.zero(S);
            FloatVector s10_0 = FloatVector.zero(S);
            FloatVector s11_0 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 1 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
                s4_0 = x0.fma(FloatVector.fromArray(S, a, o4 + p + 0 * L), s4_0);
                s5_0 = x0.fma(FloatVector.fromArray(S, a, o5 + p + 0 * L), s5_0);
                s6_0 = x0.fma(FloatVector.fromArray(S, a, o6 + p + 0 * L), s6_0);
                s7_0 = x0.fma(FloatVector.fromArray(S, a, o7 + p + 0 * L), s7_0);
                s8_0 = x0.fma(FloatVector.fromArray(S, a, o8 + p + 0 * L), s8_0);
                s9_0 = x0.fma(FloatVector.fromArray(S, a, o9 + p + 0 * L), s9_0);
                s10_0 = x0.fma(FloatVector.fromArray(S, a, o10 + p + 0 * L), s10_0);
                s11_0 = x0.fma(FloatVector.fromArray(S, a, o11 + p + 0 * L), s11_0);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD) + s4_0.reduceLanes(VectorOperators.ADD) + s5_0.reduceLanes(VectorOperators.ADD) + s6_0.reduceLanes(VectorOperators.ADD) + s7_0.reduceLanes(VectorOperators.ADD) + s8_0.reduceLanes(VectorOperators.ADD) + s9_0.reduceLanes(VectorOperators.ADD) + s10_0.reduceLanes(VectorOperators.ADD) + s11_0.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    static float r6u2(float[] a, int rows, int ld, float[] x) {
        float tot = 0;
        for (int r = 0; r + 6 <= rows; r += 6) {
            int base = r * ld;
            int o0 = base + 0 * ld;
            int o1 = base + 1 * ld;
            int o2 = base + 2 * ld;
            int o3 = base + 3 * ld;
            int o4 = base + 4 * ld;
            int o5 = base + 5 * ld;
            FloatVector s0_0 = FloatVector.zero(S);
            FloatVector s0_1 = FloatVector.zero(S);
            FloatVector s1_0 = FloatVector.zero(S);
            FloatVector s1_1 = FloatVector.zero(S);
            FloatVector s2_0 = FloatVector.zero(S);
            FloatVector s2_1 = FloatVector.zero(S);
            FloatVector s3_0 = FloatVector.zero(S);
            FloatVector s3_1 = FloatVector.zero(S);
            FloatVector s4_0 = FloatVector.zero(S);
            FloatVector s4_1 = FloatVector.zero(S);
            FloatVector s5_0 = FloatVector.zero(S);
            FloatVector s5_1 = FloatVector.zero(S);
            for (int p = 0; p < ld; p += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, p + 0 * L);
                FloatVector x1 = FloatVector.fromArray(S, x, p + 1 * L);
                s0_0 = x0.fma(FloatVector.fromArray(S, a, o0 + p + 0 * L), s0_0);
                s0_1 = x1.fma(FloatVector.fromArray(S, a, o0 + p + 1 * L), s0_1);
                s1_0 = x0.fma(FloatVector.fromArray(S, a, o1 + p + 0 * L), s1_0);
                s1_1 = x1.fma(FloatVector.fromArray(S, a, o1 + p + 1 * L), s1_1);
                s2_0 = x0.fma(FloatVector.fromArray(S, a, o2 + p + 0 * L), s2_0);
                s2_1 = x1.fma(FloatVector.fromArray(S, a, o2 + p + 1 * L), s2_1);
                s3_0 = x0.fma(FloatVector.fromArray(S, a, o3 + p + 0 * L), s3_0);
                s3_1 = x1.fma(FloatVector.fromArray(S, a, o3 + p + 1 * L), s3_1);
                s4_0 = x0.fma(FloatVector.fromArray(S, a, o4 + p + 0 * L), s4_0);
                s4_1 = x1.fma(FloatVector.fromArray(S, a, o4 + p + 1 * L), s4_1);
                s5_0 = x0.fma(FloatVector.fromArray(S, a, o5 + p + 0 * L), s5_0);
                s5_1 = x1.fma(FloatVector.fromArray(S, a, o5 + p + 1 * L), s5_1);
            }
            tot += s0_0.reduceLanes(VectorOperators.ADD) + s0_1.reduceLanes(VectorOperators.ADD) + s1_0.reduceLanes(VectorOperators.ADD) + s1_1.reduceLanes(VectorOperators.ADD) + s2_0.reduceLanes(VectorOperators.ADD) + s2_1.reduceLanes(VectorOperators.ADD) + s3_0.reduceLanes(VectorOperators.ADD) + s3_1.reduceLanes(VectorOperators.ADD) + s4_0.reduceLanes(VectorOperators.ADD) + s4_1.reduceLanes(VectorOperators.ADD) + s5_0.reduceLanes(VectorOperators.ADD) + s5_1.reduceLanes(VectorOperators.ADD);
        }
        return tot;
    }
    public static void main(String[] args) {
        int n = 4096;
        float[] a = new float[n * n], x = new float[n];
        java.util.Arrays.fill(a, 1f); java.util.Arrays.fill(x, 0.5f);
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        float sink = 0;
        System.out.println("r4u1 r4u2 r8u1 r8u2 r16u1 r12u1 r6u2");
        for (int pass = 0; pass < 5; pass++) {
            long[] b = new long[7];
            java.util.Arrays.fill(b, Long.MAX_VALUE);
            long t0;
            for (int r = 0; r < 8; r++) {
                t0 = tm.getCurrentThreadCpuTime(); sink += r4u1(a, n, n, x); b[0] = Math.min(b[0], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r4u2(a, n, n, x); b[1] = Math.min(b[1], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r8u1(a, n, n, x); b[2] = Math.min(b[2], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r8u2(a, n, n, x); b[3] = Math.min(b[3], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r16u1(a, n, n, x); b[4] = Math.min(b[4], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r12u1(a, n, n, x); b[5] = Math.min(b[5], tm.getCurrentThreadCpuTime() - t0);
                t0 = tm.getCurrentThreadCpuTime(); sink += r6u2(a, n, n, x); b[6] = Math.min(b[6], tm.getCurrentThreadCpuTime() - t0);
            }
            StringBuilder sb = new StringBuilder();
            for (long v : b) sb.append(String.format("%.1f ", 4.0 * n * n / v));
            System.out.println(sb);
        }
        if (sink == 42) System.out.println();
    }
}
