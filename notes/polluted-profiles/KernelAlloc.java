package dev.vecprop.kernels;
import java.lang.management.*;
public class KernelAlloc {
    static double sink;
    public static void main(String[] args) throws Exception {
        if (!args[0].equals("clean")) PollutedProfileAllocationTest.pollute();
        int n = 1003;
        double[] x = new double[n], y = new double[n], md = new double[n], vd = new double[n];
        float[] xf = new float[n], yf = new float[n], mf = new float[n], vf = new float[n];
        for (int i = 0; i < n; i++) { x[i] = Math.sin(i); xf[i] = (float) Math.sin(i); }
        double[] ga = new double[64 * 40], gb = new double[40 * 264], gc = new double[64 * 264];
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 30; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) {
                switch (args[1]) {
                    case "relu64" -> Activations.relu(x, 0, y, 0, n);
                    case "relu32" -> Activations.relu(xf, 0, yf, 0, n);
                    case "sigmoid32" -> Activations.sigmoid(xf, 0, yf, 0, n);
                    case "sum32" -> sink += Reductions.sum(xf, 0, n);
                    case "sum64" -> sink += Reductions.sum(x, 0, n);
                    case "adam64" -> Updates.adam(y, 0, x, 0, md, 0, vd, 0, n, 1e-3, 0.9, 0.999, 1e-8, 0.0, 3);
                    case "dgemmTN" -> Gemm.dgemm(true, false, 64, 32, 40, 1.0, ga, 0, 64, gb, 0, 32, 0.5, gc, 0, 32);
                    case "adam32" -> Updates.adam(yf, 0, xf, 0, mf, 0, vf, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 3);
                    default -> throw new IllegalArgumentException(args[1]);
                }
            }
            if (round >= 27) System.out.println(args[1] + " round " + round + ": " + (bean.getCurrentThreadAllocatedBytes() - before) / 2000 + " B/call");
        }
    }
}
