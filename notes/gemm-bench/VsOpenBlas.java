import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.Parallelism;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * vecprop against OpenBLAS in one JVM, taking turns: the same host for both, whatever its speed mode. OpenBLAS is
 * numpy's own copy (scipy-openblas, ILP64, symbols with a scipy_ prefix and a 64_ suffix), called through the FFM
 * API on the Java arrays themselves (a critical downcall with heap access: no copy), on one thread
 * (OPENBLAS_NUM_THREADS=1 is set for it before it loads; check with the "threads" line). Each side runs for a
 * slice of this thread's CPU time (0.15 s); a matrix × vector (m or n = 1) calls OpenBLAS's gemv, as numpy does, the two alternate which goes first, and the ratio vecprop / OpenBLAS
 * is taken per pair of neighbouring slices: prints the median ratio (quartiles) and each side's median GFLOPS.
 * A benchmark probe only: the library never calls native code.
 *
 * <pre>
 * J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/vo notes/gemm-bench/VsOpenBlas.java
 * OPENBLAS_NUM_THREADS=1 $J/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *     -Dlib=$(python3 -c 'import numpy,glob,os; print(glob.glob(os.path.dirname(numpy.__file__)+".libs/libscipy_openblas*.so")[0])') \
 *     -cp kernels/target/classes:/tmp/vo VsOpenBlas f32 2048:NN 128x784x256:NT ...   (MxKxN or N, :TT)
 * </pre>
 */
public class VsOpenBlas {
    static final double SLICE = Double.parseDouble(System.getProperty("slice", "0.15"));
    static final int PAIRS = Integer.getInteger("pairs", 20);
    static final int WARM = Integer.getInteger("warm", 8);
    static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    public static void main(String[] x) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(System.getProperty("lib")), Arena.global());
        boolean dbl = x[0].equals("f64");
        ValueLayout el = dbl ? ValueLayout.JAVA_DOUBLE : ValueLayout.JAVA_FLOAT;
        ValueLayout I = ValueLayout.JAVA_INT, L = ValueLayout.JAVA_LONG, P = ValueLayout.ADDRESS;
        // void cblas_?gemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc), ILP64 sizes
        MethodHandle gemm = linker.downcallHandle(lib.find(dbl ? "scipy_cblas_dgemm64_" : "scipy_cblas_sgemm64_").orElseThrow(),
                FunctionDescriptor.ofVoid(I, I, I, L, L, L, el, P, L, P, L, el, P, L), Linker.Option.critical(true));
        // void cblas_?gemv(order, trans, M, N, alpha, A, lda, x, incx, beta, y, incy): what numpy calls for a
        // matrix × vector, used here when m == 1 or n == 1 (OpenBLAS's gemm path is much slower there)
        MethodHandle gemv = linker.downcallHandle(lib.find(dbl ? "scipy_cblas_dgemv64_" : "scipy_cblas_sgemv64_").orElseThrow(),
                FunctionDescriptor.ofVoid(I, I, L, L, el, P, L, P, L, el, P, L), Linker.Option.critical(true));
        MethodHandle threads = linker.downcallHandle(lib.find("scipy_openblas_get_num_threads64_").orElseThrow(),
                FunctionDescriptor.of(I));
        System.out.println("OpenBLAS threads: " + (int) threads.invokeExact());
        Parallelism one = Parallelism.serial();
        for (int s = 1; s < x.length; s++) {
            String[] sp = x[s].split(":");
            String[] d = sp[0].split("x");
            int m = Integer.parseInt(d[0]), k = d.length > 1 ? Integer.parseInt(d[1]) : m, n = d.length > 1 ? Integer.parseInt(d[2]) : m;
            boolean ta = sp[1].charAt(0) == 'T', tb = sp[1].charAt(1) == 'T';
            int lda = ta ? m : k, ldb = tb ? k : n;
            java.util.Random r = new java.util.Random(1);
            float[] a = new float[dbl ? 0 : m * k], b = new float[dbl ? 0 : k * n], c = new float[dbl ? 0 : m * n];
            double[] ad = new double[dbl ? m * k : 0], bd = new double[dbl ? k * n : 0], cd = new double[dbl ? m * n : 0];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < ad.length; i++) ad[i] = r.nextDouble() - 0.5;
            for (int i = 0; i < bd.length; i++) bd[i] = r.nextDouble() - 0.5;
            MemorySegment sa = dbl ? MemorySegment.ofArray(ad) : MemorySegment.ofArray(a);
            MemorySegment sb = dbl ? MemorySegment.ofArray(bd) : MemorySegment.ofArray(b);
            MemorySegment sc = dbl ? MemorySegment.ofArray(cd) : MemorySegment.ofArray(c);
            double flop = 2.0 * m * n * k;
            long batch = Math.max(1, (long) (5e7 / flop));
            double[] ratio = new double[PAIRS];
            double[][] rate = new double[2][PAIRS];
            for (int pair = -WARM; pair < PAIRS; pair++) {
                double[] g = new double[2];
                for (int w = 0; w < 2; w++) {
                    int which = (pair & 1) == 0 ? w : 1 - w; // 0 = vecprop, 1 = OpenBLAS
                    long t0 = cpu(), end = t0 + (long) (SLICE * 1e9), calls = 0;
                    while (calls % batch != 0 || cpu() < end) { // the clock (~0.5 µs) read once per ~0.5 ms of work
                        if (which == 0) {
                            if (dbl) Gemm.dgemm(ta, tb, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, cd, 0, n, one);
                            else Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n, one);
                        } else {
                            openBlas(gemm, gemv, dbl, ta, tb, m, n, k, sa, lda, sb, ldb, sc);
                        }
                        calls++;
                    }
                    g[which] = flop * calls / (cpu() - t0);
                }
                if (pair >= 0) {
                    rate[0][pair] = g[0];
                    rate[1][pair] = g[1];
                    ratio[pair] = g[0] / g[1];
                }
            }
            // the two agree (a wrong call, e.g. swapped transposes, would not)
            double err = 0, mag = 0;
            if (dbl) {
                double[] mine = new double[m * n];
                Gemm.dgemm(ta, tb, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, mine, 0, n, one);
                openBlas(gemm, gemv, dbl, ta, tb, m, n, k, sa, lda, sb, ldb, sc);
                for (int i = 0; i < mine.length; i++) { err = Math.max(err, Math.abs(mine[i] - cd[i])); mag = Math.max(mag, Math.abs(cd[i])); }
            } else {
                float[] mine = new float[m * n];
                Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, mine, 0, n, one);
                openBlas(gemm, gemv, dbl, ta, tb, m, n, k, sa, lda, sb, ldb, sc);
                for (int i = 0; i < mine.length; i++) { err = Math.max(err, Math.abs(mine[i] - c[i])); mag = Math.max(mag, Math.abs(c[i])); }
            }
            if (!(err <= 1e-3 * mag)) {
                System.out.printf(Locale.ROOT, "  %s: results differ, max |diff| %.3g against max |C| %.3g%n", x[s], err, mag);
            }
            System.out.printf(Locale.ROOT, "%s %-12s %s  vecprop %6.1f  OpenBLAS %6.1f GFLOPS (medians)  vecprop/OpenBLAS median %.3f (p25 %.3f, p75 %.3f)%n",
                    x[0], sp[0], sp[1], q(rate[0], 0.5), q(rate[1], 0.5), q(ratio, 0.5), q(ratio, 0.25), q(ratio, 0.75));
        }
    }

    /** C = op(A)·op(B) by OpenBLAS: gemv when m == 1 or n == 1 (as numpy does), else gemm. */
    static void openBlas(MethodHandle gemm, MethodHandle gemv, boolean dbl, boolean ta, boolean tb, int m, int n, int k,
                         MemorySegment sa, int lda, MemorySegment sb, int ldb, MemorySegment sc) throws Throwable {
        if (m == 1) {
            // c (1×n) = a · op(B): y = op(B)ᵀ·x, with B stored k×n (transposed) or n×k (as is); a's k values are
            // contiguous either way (1×k, or k×1 with lda = 1)
            int trans = tb ? NO_TRANS : TRANS;
            long rows = tb ? n : k, cols = tb ? k : n;
            if (dbl) gemv.invokeExact(ROW_MAJOR, trans, rows, cols, 1.0, sb, (long) ldb, sa, 1L, 0.0, sc, 1L);
            else gemv.invokeExact(ROW_MAJOR, trans, rows, cols, 1f, sb, (long) ldb, sa, 1L, 0f, sc, 1L);
        } else if (n == 1) {
            // c (m×1) = op(A) · b: y = op(A)·x, with A stored m×k (as is) or k×m (transposed); b's k values are
            // contiguous either way
            int trans = ta ? TRANS : NO_TRANS;
            long rows = ta ? k : m, cols = ta ? m : k;
            if (dbl) gemv.invokeExact(ROW_MAJOR, trans, rows, cols, 1.0, sa, (long) lda, sb, 1L, 0.0, sc, 1L);
            else gemv.invokeExact(ROW_MAJOR, trans, rows, cols, 1f, sa, (long) lda, sb, 1L, 0f, sc, 1L);
        } else {
            int tA = ta ? TRANS : NO_TRANS, tB = tb ? TRANS : NO_TRANS;
            if (dbl) gemm.invokeExact(ROW_MAJOR, tA, tB, (long) m, (long) n, (long) k, 1.0, sa, (long) lda, sb, (long) ldb, 0.0, sc, (long) n);
            else gemm.invokeExact(ROW_MAJOR, tA, tB, (long) m, (long) n, (long) k, 1f, sa, (long) lda, sb, (long) ldb, 0f, sc, (long) n);
        }
    }

    static double q(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(p * (s.length - 1))];
    }

    static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
