// notes/train-step-limits/AdamFloor.java — the floor under the Adam pass: the same four loads and three stores
// per vector as Updates.adam, with an add in place of Adam's arithmetic, over n floats (-Dn=235146: the MLP's
// parameters, 3.76 MB for the four arrays, in L3 on the AMD host) at several gaps between the arrays. Prints
// ns per element (best of 60). Twelfth session: 0.161-0.166 ns at n = 235146 (38-39 us per pass), against 0.173-0.183
// for Adam's arithmetic in the same loop (5-14% more) and 0.166 for Updates.adam inside the step (38.9 us); in L1
// (n = 2048) the floor is 0.09 and Adam 0.12-0.145. Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -d /tmp/af notes/train-step-limits/AdamFloor.java
//   $J/java --add-modules jdk.incubator.vector -Dn=235146 -cp /tmp/af AdamFloor
import jdk.incubator.vector.*;
public class AdamFloor {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static void run(float[] a, int po, int go, int mo, int vo, int n) {
        float beta1 = 0.9f, beta2 = 0.999f, stepSize = 1e-3f, invBc2Sqrt = 1.3f, eps = 1e-8f;
        for (int i = 0; i < S.loopBound(n); i += S.length()) {
            FloatVector p = FloatVector.fromArray(S, a, po + i);
            FloatVector g = FloatVector.fromArray(S, a, go + i);
            FloatVector mi = FloatVector.fromArray(S, a, mo + i);
            FloatVector vi = FloatVector.fromArray(S, a, vo + i);
            mi = mi.add(g); vi = vi.add(g); p = p.add(g);
            mi.intoArray(a, mo + i); vi.intoArray(a, vo + i); p.intoArray(a, po + i);
        }
    }
    public static void main(String[] x) {
        int n = Integer.getInteger("n", 2048);
        float[] a = new float[4 * n + 4 * 4096 + 64];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 0.01f;
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        int reps = Math.max(1, 1_000_000 / n);
        for (int pass = 0; pass < 2; pass++)
        for (int gap : new int[]{0, 16, 32, 64, 128, 256, 512, 1000, 1024}) {
            int st = n + gap;
            long best = Long.MAX_VALUE;
            for (int k = 0; k < 60; k++) {
                long t0 = tm.getCurrentThreadCpuTime();
                for (int q = 0; q < reps; q++) run(a, 0, st, 2 * st, 3 * st, n);
                best = Math.min(best, tm.getCurrentThreadCpuTime() - t0);
            }
            System.out.printf("n=%d gap %4d floats: %.3f ns/elem%n", n, gap, (double) best / reps / n);
        }
    }
}
