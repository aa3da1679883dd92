package dev.vecprop.bench;

/**
 * One GEMM problem as the benchmarks name it: the parameters {@code shape} ({@code "n"} for n×n×n, or
 * {@code "MxKxN"}: M×K times K×N) and {@code trans} (the transpose flags of A and B, {@code N} plain,
 * {@code T} transposed), written together as {@code "MxKxN/TT"}: {@code "128x784x256/NT"} is
 * {@code C(128×256) = A(128×784)·B(256×784)ᵀ}. Row-major storage with tight leading dimensions: A is stored m×k
 * ({@code lda = k}) or, transposed, k×m ({@code lda = m}); B is k×n ({@code ldb = n}) or n×k ({@code ldb = k});
 * C is m×n ({@code ldc = n}).
 *
 * <p>vecprop's GemmBenchmark, every peer and numpy_reference.py use the same two parameters, so the report and
 * the comparer line them up by it.
 */
public record GemmShape(int m, int k, int n, boolean transA, boolean transB) {

    public GemmShape {
        if (m < 0 || k < 0 || n < 0) {
            throw new IllegalArgumentException("GEMM sizes must be >= 0, got m=" + m + ", k=" + k + ", n=" + n);
        }
    }

    /** From the benchmark parameters: {@code shape} "n" or "MxKxN", {@code trans} "NN", "NT", "TN" or "TT". */
    public static GemmShape of(String shape, String trans) {
        return parse(shape + "/" + trans);
    }

    /** Parses {@code "MxKxN/TT"} or {@code "n/TT"}; without {@code /TT} it means {@code /NN}. */
    public static GemmShape parse(String problem) {
        String dims = problem;
        String flags = "NN";
        int slash = problem.indexOf('/');
        if (slash >= 0) {
            dims = problem.substring(0, slash);
            flags = problem.substring(slash + 1);
        }
        String[] parts = dims.split("x");
        if (parts.length == 1) {
            parts = new String[] {dims, dims, dims};
        }
        if (parts.length != 3 || flags.length() != 2 || !flags.matches("[NT][NT]")) {
            throw new IllegalArgumentException("GEMM problem must look like MxKxN/TT or n/TT (e.g. 128x784x256/NT, 512/NN), got '"
                    + problem + "'");
        }
        try {
            return new GemmShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    flags.charAt(0) == 'T', flags.charAt(1) == 'T');
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GEMM problem must look like MxKxN/TT or n/TT (e.g. 128x784x256/NT, 512/NN), got '"
                    + problem + "'", e);
        }
    }

    /** Floating-point operations of one product: one multiply and one add per (i, j, p). */
    public double flops() {
        return 2.0 * m * (double) k * n;
    }

    public int lda() {
        return transA ? m : k;
    }

    public int ldb() {
        return transB ? k : n;
    }

    public int ldc() {
        return n;
    }

    public int aLength() {
        return m * k;
    }

    public int bLength() {
        return k * n;
    }

    public int cLength() {
        return m * n;
    }

    /** True for M = K = N, the problems the chart plots against their size. */
    public boolean isSquare() {
        return m == k && k == n;
    }

    public String flags() {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    /** The {@code shape} parameter: "n" when square, else "MxKxN". */
    public String shapeParam() {
        return isSquare() ? Integer.toString(m) : m + "x" + k + "x" + n;
    }

    @Override
    public String toString() {
        return shapeParam() + "/" + flags();
    }
}
