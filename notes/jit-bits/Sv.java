import dev.vecprop.kernels.Activations;
public class Sv {
    public static void main(String[] a) {
        int n = 1 << 16;
        double[] x = new double[n], y = new double[n];
        float[] xf = new float[n], yf = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) { x[i] = r.nextDouble(-30, 30); xf[i] = (float) x[i]; }
        int reps = Integer.getInteger("reps", 1);
        for (int k = 0; k < reps; k++) { Activations.sigmoid(x, 0, y, 0, n); Activations.tanh(x, 0, y, 0, n); Activations.softplus(x, 0, y, 0, n); Activations.softplus(xf, 0, yf, 0, n); }
        String[] names = {"sigmoid", "tanh", "softplus", "softplusF"};
        for (int op = 0; op < 4; op++) {
            long h = 0;
            if (op == 0) Activations.sigmoid(x, 0, y, 0, n);
            if (op == 1) Activations.tanh(x, 0, y, 0, n);
            if (op == 2) Activations.softplus(x, 0, y, 0, n);
            if (op == 3) { Activations.softplus(xf, 0, yf, 0, n); for (int i = 0; i < n; i++) y[i] = yf[i]; }
            for (int i = 0; i < n; i++) h = h * 31 + Double.doubleToRawLongBits(y[i]);
            System.out.print(names[op] + " " + Long.toHexString(h) + "  ");
        }
        System.out.println();
    }
}
