// notes/parallel-probe/HandOff.java — what a parallel call costs: 20,000 calls of two tasks on Parallelism.threads(2),
// against the same work on one thread, per call in µs (package-private Parallelism.run, hence the package).
// Argument: loop iterations per task (0: empty tasks; 20000: ~13-15 µs each, as this loop compiles). Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac -cp kernels/target/classes -d /tmp/ho notes/parallel-probe/HandOff.java
//   $J/java -cp kernels/target/classes:/tmp/ho dev.vecprop.kernels.HandOff 20000
//   $J/java -Dvecprop.spinMicros=0 -cp kernels/target/classes:/tmp/ho dev.vecprop.kernels.HandOff 20000
// Measured 2026-11-29, 20000 iterations: cached thread pool (before WorkerPool) 34-38 µs per call against 28-30 µs
// on one thread; WorkerPool 14.5-21 µs (35-41 µs in a version that made a second worker on 2 processors: three
// threads spinning on two); WorkerPool with spinMicros=0 33-34 µs. Empty tasks: 6-7.5 µs -> 1.7-2.4 µs.
package dev.vecprop.kernels;

public class HandOff {
    public static void main(String[] a) {
        Parallelism p = Parallelism.threads(2);
        long[] work = new long[2];
        int workIters = Integer.parseInt(a.length > 0 ? a[0] : "0");
        for (int round = 0; round < 8; round++) {
            int calls = 20000;
            long t0 = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                p.run(2, i -> {
                    long s = 0;
                    for (int k = 0; k < workIters; k++) {
                        s += k * i;
                    }
                    work[i] = s;
                });
            }
            long t1 = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                for (int i = 0; i < 2; i++) {
                    long s = 0;
                    for (int k = 0; k < workIters; k++) {
                        s += k * i;
                    }
                    work[i] = s;
                }
            }
            long t2 = System.nanoTime();
            System.out.printf("parallel call %.1f µs, the same work serially %.1f µs%n",
                    (t1 - t0) / 1e3 / calls, (t2 - t1) / 1e3 / calls);
        }
    }
}
