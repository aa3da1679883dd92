import dev.vecprop.kernels.*;
public class Quick {
    // args: f32|f64 then shapes "MxKxN:TT" ...; prints best-of GFLOPS per shape
    public static void main(String[] x) {
        boolean dbl = x[0].equals("f64");
        Parallelism par = Parallelism.threads(Integer.getInteger("t", 1));
        for (int pass = 0; pass < 2; pass++)
        for (int s = 1; s < x.length; s++) {
            String[] sp = x[s].split(":"); String[] d = sp[0].split("x");
            int m = Integer.parseInt(d[0]), k = d.length>1?Integer.parseInt(d[1]):m, n = d.length>1?Integer.parseInt(d[2]):m;
            boolean ta = sp[1].charAt(0)=='T', tb = sp[1].charAt(1)=='T';
            int lda = (ta?m:k) + PAD, ldb = (tb?k:n) + PAD, ldc = n + PAD;
            float[] a = new float[(ta?k:m)*lda], b = new float[(tb?n:k)*ldb], c = new float[m*ldc];
            double[] ad = new double[dbl?a.length:0], bd = new double[dbl?b.length:0], cd = new double[dbl?c.length:0];
            java.util.Random r = new java.util.Random(1);
            for (int i=0;i<a.length;i++) a[i]=r.nextFloat()-0.5f;
            for (int i=0;i<b.length;i++) b[i]=r.nextFloat()-0.5f;
            for (int i=0;i<ad.length;i++) ad[i]=a[i];
            for (int i=0;i<bd.length;i++) bd[i]=b[i];
            double flop = 2.0*m*n*k;
            int reps = (int) Math.max(1, BATCH/flop);
            double best = 0;
            long end = cpu() + (long) ((pass == 0 ? 0.6 : 1.0) * SECS * 1e9);
            while (cpu() < end) {
                long t0=cpu();
                for (int rr=0; rr<reps; rr++) {
                    if (dbl) Gemm.dgemm(ta,tb,m,n,k,1,ad,0,lda,bd,0,ldb,0,cd,0,ldc,par);
                    else Gemm.sgemm(ta,tb,m,n,k,1f,a,0,lda,b,0,ldb,0f,c,0,ldc,par);
                }
                best = Math.max(best, flop*reps/(cpu()-t0));
            }
            if (pass == 1) System.out.printf("%s %-14s %s best %.1f GFLOPS%n", x[0], sp[0], sp[1], best);
        }
    }
    /** Extra elements at the end of every row of A, B and C (-Dpad, default 0): leading dimensions off a power of two. */
    static final int PAD = Integer.getInteger("pad", 0);
    /** Thread CPU seconds per shape in the measured pass (-Dsecs, default 2.5). */
    static final double SECS = Double.parseDouble(System.getProperty("secs", "2.5"));
    static final java.lang.management.ThreadMXBean TM = java.lang.management.ManagementFactory.getThreadMXBean();
    /** -Dclock=process: CPU time of the whole process (all GEMM threads), for -Dt=2 runs: GFLOPS per CPU second. */
    static final boolean PROCESS = "process".equals(System.getProperty("clock"));
    /** Multiply-adds ×2 per timed batch (-Dbatch; default 2e7, or 1e9 with -Dclock=process, whose clock ticks coarsely). */
    static final double BATCH = Double.parseDouble(System.getProperty("batch", PROCESS ? "1e9" : "2e7"));
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    /** -Dclock=wall: elapsed time, for comparing -Dt=2 with -Dt=1 as a caller sees it (best of many batches). */
    static final boolean WALL = "wall".equals(System.getProperty("clock"));
    static long cpu() { return WALL ? System.nanoTime() : PROCESS ? OS.getProcessCpuTime() : TM.getCurrentThreadCpuTime(); }
}
