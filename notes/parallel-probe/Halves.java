// notes/parallel-probe/Halves.java — the two halves of one GEMM split along M (rows [0, split) and [split, m)), run
// one after the other on the main thread (1T) and at once on the main thread and a spinning helper (2T), so the
// time of each half alone and side by side can be compared; the helper's start lag and the main thread's wait are
// printed too. -Dpriv=a|b|c|abc gives the helper its own copy of A or B (made once) or its own (zeroed) C;
// -Dpriv=copy makes both threads copy B into a buffer of their own before each call (the copy's time counts in
// the 2T halves). Sixth session, 256x128x784 TN split at 132: each
// half 250-290 us alone; side by side on the one B 340-750 us (1T/2T 1.03-1.64), with the helper's own copy of B
// 1.60-2.02, with a copy per call 1.44-2.07 (noisy host); own A or own C changed nothing; the helper's lag 0.3 us.
// A library version (each row-block task of a threaded gemm copies a B it would read in place) gave 256x128x784
// TN 2T/1T 1.47-1.75 against 1.05-1.41 in Scale2, but nothing in the training step (TrainStepBreakdown 10 2, three
// pairs of JVMs: 1T/2T 1.31-1.45 with it, 1.43-1.54 without), so it was not kept (README, "Sixth session").
// Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/hp notes/parallel-probe/Halves.java
//   $J/java --add-modules jdk.incubator.vector -Dpriv=b -cp kernels/target/classes:/tmp/hp Halves 256x128x784:TN 132
import dev.vecprop.kernels.*;

public class Halves {
    static volatile int go = 0, done = 0;

    public static void main(String[] x) throws Exception {
        String[] sp = x[0].split(":"); String[] d = sp[0].split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        boolean ta = sp[1].charAt(0) == 'T', tb = sp[1].charAt(1) == 'T';
        int lda = ta ? m : k, ldb = tb ? k : n;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
        int split = Integer.parseInt(x[1]);
        Parallelism ser = Parallelism.serial();
        String pv = System.getProperty("priv", "");
        boolean copy = pv.equals("copy"), own = !copy;
        float[] a2 = own && pv.contains("a") ? a.clone() : a, b2 = own && pv.contains("b") ? b.clone() : b;
        float[] c2 = own && pv.contains("c") ? new float[m * n] : c;
        float[] bm = new float[b.length], bh = new float[b.length];
        final long[] helperT = new long[2];
        Thread h = new Thread(() -> {
            int seen = 0;
            while (true) {
                while (go == seen) Thread.onSpinWait();
                seen = go;
                long t0 = System.nanoTime();
                if (copy) System.arraycopy(b, 0, bh, 0, b.length);
                half(ta, tb, m, n, k, a2, lda, copy ? bh : b2, ldb, c2, split, m, ser);
                helperT[0] = t0; helperT[1] = System.nanoTime();
                done = seen;
            }
        });
        h.setDaemon(true); h.start();
        int calls = 200;
        for (int round = 0; round < 12; round++) {
            long h0 = 0, h1 = 0, t;
            long s = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                t = System.nanoTime();
                half(ta, tb, m, n, k, a, lda, b, ldb, c, 0, split, ser);
                long t1 = System.nanoTime();
                half(ta, tb, m, n, k, a, lda, b, ldb, c, split, m, ser);
                long t2 = System.nanoTime();
                h0 += t1 - t; h1 += t2 - t1;
            }
            long w1 = System.nanoTime() - s;
            long g0 = 0, g1 = 0, lag = 0, wait = 0;
            s = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                t = System.nanoTime();
                go = go + 1;
                if (copy) System.arraycopy(b, 0, bm, 0, b.length);
                half(ta, tb, m, n, k, a, lda, copy ? bm : b, ldb, c, 0, split, ser);
                long t1 = System.nanoTime();
                while (done != go) Thread.onSpinWait();
                long t2 = System.nanoTime();
                g0 += t1 - t; g1 += helperT[1] - helperT[0]; lag += helperT[0] - t; wait += t2 - t1;
            }
            long w2 = System.nanoTime() - s;
            if (round >= 2) System.out.printf("1T: half0 %.0f half1 %.0f wall %.0f us | 2T: half0 %.0f half1 %.0f helper lag %.1f main waits %.1f wall %.0f us | 1T/2T %.2f%n",
                h0 / 1e3 / calls, h1 / 1e3 / calls, w1 / 1e3 / calls, g0 / 1e3 / calls, g1 / 1e3 / calls, lag / 1e3 / calls, wait / 1e3 / calls, w2 / 1e3 / calls, (double) w1 / w2);
        }
        System.exit(0);
    }

    static void half(boolean ta, boolean tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int from, int to, Parallelism p) {
        Gemm.sgemm(ta, tb, to - from, n, k, 1f, a, ta ? from : from * lda, lda, b, 0, ldb, 1f, c, from * n, n, p);
    }
}
