// notes/train-step-limits/Fwd1.java — the first layer's forward GEMM (128 x 784 x 256, NT, float, one thread) in a
// loop for -Dsecs seconds; prints microseconds per call for every batch of 500 calls. Run it in several JVMs: in
// the twelfth session the last batches settled at 231, 238, 239, 241, 243 and 244 us in six JVMs. A version that
// reallocated its three arrays every 8 batches (new addresses, same contents) moved a JVM's figure by 1-2% only, so
// the spread comes with the JIT's compilation rather than the data's placement. From the repository root:
//   J=$(./vecprop java)/bin; $J/javac -cp kernels/target/classes -d /tmp/f1 notes/train-step-limits/Fwd1.java
//   for i in 1 2 3; do $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/f1 Fwd1; done
import dev.vecprop.kernels.*;
public class Fwd1 {
    public static void main(String[] a) {
        int b = 128;
        java.util.Random r = new java.util.Random(1);
        float[] x = new float[b * 784], w = new float[256 * 784], y = new float[b * 256];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat();
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        double secs = Double.parseDouble(System.getProperty("secs", "6"));
        long end = System.nanoTime() + (long) (secs * 1e9);
        StringBuilder sb = new StringBuilder();
        while (System.nanoTime() < end) {
            long t0 = tm.getCurrentThreadCpuTime();
            for (int i = 0; i < 500; i++) Gemm.sgemm(false, true, b, 256, 784, 1f, x, 0, 784, w, 0, 784, 0f, y, 0, 256);
            sb.append(String.format("%.0f ", (tm.getCurrentThreadCpuTime() - t0) / 1e3 / 500));
        }
        System.out.println(sb);
    }
}
