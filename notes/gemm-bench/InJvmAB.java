import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A/B of two GEMM variants inside one JVM, for a host whose speed changes from JVM to JVM and from second to
 * second (see the README's Performance section): each variant is the kernels' classes loaded by a class loader
 * of its own, so static tuning constants (read once, at class initialisation) and even two builds of the code can
 * sit side by side; the variants then take turns in short slices of thread CPU time, and the ratio B / A is taken
 * per pair of neighbouring slices, which saw the same machine. Prints the median ratio and its quartiles.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dab.A="" -Dab.B="vecprop.gemmKC=512,vecprop.gemmNC=512" \
 *      [-Dab.Acp=kernels/target/classes] [-Dab.Bcp=DIR] [-Dslice=0.15] [-Dpairs=30] [-Dwarm=8] [-Dt=1] [-Dwall=true] \
 *      -cp /tmp/q InJvmAB f32|f64 2048:NN 1024:NT ...
 * </pre>
 */
public class InJvmAB {
    static final double SLICE = Double.parseDouble(System.getProperty("slice", "0.15"));
    static final int PAIRS = Integer.getInteger("pairs", 30);
    /** Pairs run first and not counted: the JIT compiles both copies of the kernels meanwhile. */
    static final int WARM_PAIRS = Integer.getInteger("warm", 8);
    static final boolean WALL = Boolean.getBoolean("wall");

    /** One variant: its own copy of the kernels' classes, initialised under its own system properties. */
    static final class Variant {
        final Method sgemm, dgemm;
        final Object par;

        Variant(String classes, String props) throws Exception {
            String[] kv = props.isBlank() ? new String[0] : props.split(",");
            String[] old = new String[kv.length];
            for (int i = 0; i < kv.length; i++) {
                String[] p = kv[i].split("=", 2);
                old[i] = System.getProperty(p[0]);
                System.setProperty(p[0], p[1]);
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(classes).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> gemm = Class.forName("dev.vecprop.kernels.Gemm", true, loader);
            Class<?> parallelism = Class.forName("dev.vecprop.kernels.Parallelism", true, loader);
            par = parallelism.getMethod("threads", int.class).invoke(null, Integer.getInteger("t", 1));
            sgemm = gemm.getMethod("sgemm", boolean.class, boolean.class, int.class, int.class, int.class, float.class,
                    float[].class, int.class, int.class, float[].class, int.class, int.class, float.class, float[].class,
                    int.class, int.class, parallelism);
            dgemm = gemm.getMethod("dgemm", boolean.class, boolean.class, int.class, int.class, int.class, double.class,
                    double[].class, int.class, int.class, double[].class, int.class, int.class, double.class,
                    double[].class, int.class, int.class, parallelism);
            // force class initialisation (the tuning constants) now, under this variant's properties
            for (String c : new String[] {"GemmF32", "GemmF64", "GemmF32Small", "GemmF64Small"}) {
                try {
                    Class.forName("dev.vecprop.kernels." + c, true, loader);
                } catch (ClassNotFoundException e) {
                    // a build from before the small-tile classes
                }
            }
            for (int i = 0; i < kv.length; i++) {
                String key = kv[i].split("=", 2)[0];
                if (old[i] == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, old[i]);
                }
            }
        }
    }

    public static void main(String[] x) throws Exception {
        String cpA = System.getProperty("ab.Acp", "kernels/target/classes");
        String cpB = System.getProperty("ab.Bcp", cpA);
        Variant[] v = {new Variant(cpA, System.getProperty("ab.A", "")), new Variant(cpB, System.getProperty("ab.B", ""))};
        boolean dbl = x[0].equals("f64");
        for (int s = 1; s < x.length; s++) {
            String[] sp = x[s].split(":");
            String[] d = sp[0].split("x");
            int m = Integer.parseInt(d[0]);
            int k = d.length > 1 ? Integer.parseInt(d[1]) : m;
            int n = d.length > 1 ? Integer.parseInt(d[2]) : m;
            boolean ta = sp[1].charAt(0) == 'T', tb = sp[1].charAt(1) == 'T';
            int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
            java.util.Random r = new java.util.Random(1);
            float[] a = new float[(ta ? k : m) * lda], b = new float[(tb ? n : k) * ldb];
            float[][] c = {new float[m * ldc], new float[m * ldc]};
            double[] ad = new double[dbl ? a.length : 0], bd = new double[dbl ? b.length : 0];
            double[][] cd = {new double[dbl ? m * ldc : 0], new double[dbl ? m * ldc : 0]};
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextFloat() - 0.5f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextFloat() - 0.5f;
            }
            for (int i = 0; i < ad.length; i++) {
                ad[i] = a[i];
            }
            for (int i = 0; i < bd.length; i++) {
                bd[i] = b[i];
            }
            double flop = 2.0 * m * n * k;
            double[] ratio = new double[PAIRS];
            double[][] rate = new double[2][PAIRS];
            for (int pair = -WARM_PAIRS; pair < PAIRS; pair++) {
                double[] g = new double[2];
                for (int w = 0; w < 2; w++) {
                    // alternate which variant goes first, so neither always follows the other
                    int which = (pair & 1) == 0 ? w : 1 - w;
                    long end = cpu() + (long) (SLICE * 1e9);
                    long calls = 0, t0 = cpu();
                    while (cpu() < end) {
                        if (dbl) {
                            v[which].dgemm.invoke(null, ta, tb, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, cd[which], 0, ldc, v[which].par);
                        } else {
                            v[which].sgemm.invoke(null, ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c[which], 0, ldc, v[which].par);
                        }
                        calls++;
                    }
                    g[which] = flop * calls / (cpu() - t0);
                }
                if (pair >= 0) {
                    rate[0][pair] = g[0];
                    rate[1][pair] = g[1];
                    ratio[pair] = g[1] / g[0];
                }
            }
            boolean same = dbl ? Arrays.equals(cd[0], cd[1]) : Arrays.equals(c[0], c[1]);
            System.out.printf(java.util.Locale.ROOT,
                    "%s %-12s %s  A %6.1f  B %6.1f GFLOPS (medians)  B/A median %.3f (p25 %.3f, p75 %.3f)%s%n",
                    x[0], sp[0], sp[1], median(rate[0]), median(rate[1]), median(ratio), quantile(ratio, 0.25),
                    quantile(ratio, 0.75), same ? "" : "  [results differ]");
        }
        System.exit(0);
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }

    /** Wall time with -Dwall=true (for thread scaling); else CPU time of all threads of the process when t > 1, else of this thread. */
    static long cpu() {
        if (WALL) {
            return System.nanoTime();
        }
        if (Integer.getInteger("t", 1) > 1) {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
