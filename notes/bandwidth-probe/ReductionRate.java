// notes/bandwidth-probe/ReductionRate.java — the float reductions alone: Reductions.squaredNorm, dot and sum over
// 235,146 floats (the CLI's MLP's parameter count), µs per call (thread CPU time, best of 25 × 100 calls, five
// passes), then the results' bits, so that two builds can be checked for bitwise-equal results. Package-private
// access is not needed; the package only keeps it beside the kernels. Run from the repository root, per width:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/rr notes/bandwidth-probe/ReductionRate.java
//   $J/java -Dvecprop.vectorBits=128 --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/rr dev.vecprop.kernels.ReductionRate
// To compare two builds, alternate JVMs with -cp pointing at each build's classes (the README's "Eighth session").
package dev.vecprop.kernels;
public class ReductionRate {
    public static void main(String[] x) {
        int n = 235146;
        float[] a = new float[n], b = new float[n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < n; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat(); }
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int pass = 0; pass < 5; pass++) {
            long bn = Long.MAX_VALUE, bd = Long.MAX_VALUE, bs = Long.MAX_VALUE;
            for (int rep = 0; rep < 25; rep++) {
                long t0 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 100; it++) sink += Reductions.squaredNorm(a, 0, n);
                long t1 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 100; it++) sink += Reductions.dot(a, 0, b, 0, n);
                long t2 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 100; it++) sink += Reductions.sum(a, 0, n);
                long t3 = tm.getCurrentThreadCpuTime();
                bn = Math.min(bn, t1 - t0); bd = Math.min(bd, t2 - t1); bs = Math.min(bs, t3 - t2);
            }
            System.out.printf("squaredNorm %.1f us  dot %.1f us  sum %.1f us%n", bn / 100e3, bd / 100e3, bs / 100e3);
        }
        System.out.println(Double.doubleToLongBits(Reductions.squaredNorm(a, 0, n)) + " " + Double.doubleToLongBits(Reductions.dot(a, 0, b, 0, n)) + " " + Double.doubleToLongBits(Reductions.sum(a, 0, n)) + " " + (sink > 0));
    }
}
