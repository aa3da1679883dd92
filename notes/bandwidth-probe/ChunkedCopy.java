// notes/bandwidth-probe/ChunkedCopy.java — why relu cannot reach 80% of System.arraycopy's bandwidth (issue 4).
// Throughput of one 64 MiB (2^24 floats) operation, called in a loop for 1 s per line, from a normally compiled
// method (not main's loop: the first lines run before C2 has compiled it, so read the last ones). Variants:
//   copy      System.arraycopy of the whole array (its large-copy path writes without reading the destination)
//   vcopy     the same copy as a Vector API loop (every store reads its line first)
//   relu      Activations.relu
//   cc<N>     System.arraycopy in chunks of N floats (shows from which size the large-copy path is used)
//   cr<N>     chunks of N floats: System.arraycopy, then relu in place (the copy's path evicts what relu reads)
// Run from the repository root, one variant per fresh JVM (-Dits=N sets the number of 1 s lines, default 8):
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/cc notes/bandwidth-probe/ChunkedCopy.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/cc ChunkedCopy cr1048576
// Measured 2026-11-29 (ops/s, last lines): copy ~107-110, vcopy ~71-80, relu ~70-80, cc16384 and cc262144 ~70,
// cc1048576 ~105, cr16384/cr262144/cr1048576 57-65.
import dev.vecprop.kernels.Activations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

public class ChunkedCopy {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static void run(String what, float[] x, float[] y, int n) {
        if (what.equals("copy")) {
            System.arraycopy(x, 0, y, 0, n);
        } else if (what.equals("vcopy")) {
            for (int i = 0; i < S.loopBound(n); i += S.length()) {
                FloatVector.fromArray(S, x, i).intoArray(y, i);
            }
        } else if (what.equals("relu")) {
            Activations.relu(x, 0, y, 0, n);
        } else {
            int chunk = Integer.parseInt(what.substring(2));
            for (int c = 0; c < n; c += chunk) {
                int len = Math.min(chunk, n - c);
                System.arraycopy(x, c, y, c, len);
                if (what.startsWith("cr")) {
                    Activations.relu(y, c, y, c, len);
                }
            }
        }
    }

    public static void main(String[] args) {
        int n = 1 << 24;
        float[] x = new float[n];
        float[] y = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        for (int line = 0; line < Integer.getInteger("its", 8); line++) {
            long t0 = System.nanoTime();
            int ops = 0;
            while (System.nanoTime() - t0 < 1_000_000_000L) {
                run(args[0], x, y, n);
                ops++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s %.1f ops/s %.1f GB/s (8 bytes per element)%n", args[0], ops / s, ops / s * 8.0 * n / 1e9);
        }
    }
}
