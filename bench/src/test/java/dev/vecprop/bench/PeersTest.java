package dev.vecprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import dev.vecprop.bench.peers.EjmlGemm;
import dev.vecprop.bench.peers.NaiveGemm;
import dev.vecprop.bench.peers.NetlibGemm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GEMM peer computes the same product as a float64 triple loop, in all four transpose cases, so that the
 * benchmark compares implementations of the same thing (a peer that silently computed A·Bᵀ instead of A·B
 * would otherwise look just as fast).
 */
class PeersTest {

    interface Peer {
        void sgemm(GemmShape s, float[] a, float[] b, float[] c);

        void dgemm(GemmShape s, double[] a, double[] b, double[] c);
    }

    static final Peer NAIVE = new Peer() {
        public void sgemm(GemmShape s, float[] a, float[] b, float[] c) {
            NaiveGemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, s.lda(), b, s.ldb(), c, s.ldc());
        }

        public void dgemm(GemmShape s, double[] a, double[] b, double[] c) {
            NaiveGemm.dgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, s.lda(), b, s.ldb(), c, s.ldc());
        }

        public String toString() {
            return "naive";
        }
    };

    static Peer netlib(BLAS blas, String name) {
        return new Peer() {
            public void sgemm(GemmShape s, float[] a, float[] b, float[] c) {
                NetlibGemm.sgemm(blas, s.transA(), s.transB(), s.m(), s.n(), s.k(), a, s.lda(), b, s.ldb(), c, s.ldc());
            }

            public void dgemm(GemmShape s, double[] a, double[] b, double[] c) {
                NetlibGemm.dgemm(blas, s.transA(), s.transB(), s.m(), s.n(), s.k(), a, s.lda(), b, s.ldb(), c, s.ldc());
            }

            public String toString() {
                return name;
            }
        };
    }

    static Peer ejml(boolean concurrent) {
        return new Peer() {
            public void sgemm(GemmShape s, float[] a, float[] b, float[] c) {
                EjmlGemm.sgemm(concurrent, s.transA(), s.transB(),
                        FMatrixRMaj.wrap(s.transA() ? s.k() : s.m(), s.transA() ? s.m() : s.k(), a),
                        FMatrixRMaj.wrap(s.transB() ? s.n() : s.k(), s.transB() ? s.k() : s.n(), b),
                        FMatrixRMaj.wrap(s.m(), s.n(), c));
            }

            public void dgemm(GemmShape s, double[] a, double[] b, double[] c) {
                EjmlGemm.dgemm(concurrent, s.transA(), s.transB(),
                        DMatrixRMaj.wrap(s.transA() ? s.k() : s.m(), s.transA() ? s.m() : s.k(), a),
                        DMatrixRMaj.wrap(s.transB() ? s.n() : s.k(), s.transB() ? s.k() : s.n(), b),
                        DMatrixRMaj.wrap(s.m(), s.n(), c));
            }

            public String toString() {
                return concurrent ? "EJML MT" : "EJML";
            }
        };
    }

    static List<Peer> peers() {
        return List.of(NAIVE, netlib(NetlibGemm.vector(), "netlib VectorBLAS"),
                netlib(NetlibGemm.scalar(), "netlib JavaBLAS"), ejml(false), ejml(true));
    }

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        String[] dims = {"1x1x1", "3x7x5", "17x33x9", "64x31x65", "128x10x40"};
        for (Peer p : peers()) {
            for (String d : dims) {
                for (String t : new String[] {"NN", "NT", "TN", "TT"}) {
                    out.add(new Object[] {p, d + "/" + t});
                }
            }
        }
        return out.stream();
    }

    /** C = op(A)·op(B) in float64 from the index formulas alone. */
    static double[] reference(GemmShape s, double[] a, double[] b) {
        double[] c = new double[s.cLength()];
        for (int i = 0; i < s.m(); i++) {
            for (int j = 0; j < s.n(); j++) {
                double sum = 0;
                for (int p = 0; p < s.k(); p++) {
                    double x = s.transA() ? a[p * s.lda() + i] : a[i * s.lda() + p];
                    double y = s.transB() ? b[j * s.ldb() + p] : b[p * s.ldb() + j];
                    sum += x * y;
                }
                c[i * s.ldc() + j] = sum;
            }
        }
        return c;
    }

    /** Largest |got − want| relative to max(1, |want|). */
    static double worst(double[] want, double[] got) {
        double w = 0;
        for (int i = 0; i < want.length; i++) {
            w = Math.max(w, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
        }
        return w;
    }

    static double[] check(Peer peer, GemmShape s, boolean single) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode());
        double[] a = GemmProblem.randomDoubles(rnd, s.aLength());
        double[] b = GemmProblem.randomDoubles(rnd, s.bLength());
        if (single) {
            float[] fa = new float[a.length];
            float[] fb = new float[b.length];
            for (int i = 0; i < a.length; i++) {
                fa[i] = (float) a[i];
                a[i] = fa[i];
            }
            for (int i = 0; i < b.length; i++) {
                fb[i] = (float) b[i];
                b[i] = fb[i];
            }
            float[] fc = new float[s.cLength()];
            java.util.Arrays.fill(fc, Float.NaN); // beta = 0: whatever was in C must not leak
            peer.sgemm(s, fa, fb, fc);
            double[] got = new double[fc.length];
            for (int i = 0; i < fc.length; i++) {
                got[i] = fc[i];
            }
            return new double[] {worst(reference(s, a, b), got)};
        }
        double[] dc = new double[s.cLength()];
        java.util.Arrays.fill(dc, Double.NaN);
        peer.dgemm(s, a, b, dc);
        return new double[] {worst(reference(s, a, b), dc)};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void peerMatchesFloat64Reference(Peer peer, String problem) {
        GemmShape s = GemmShape.parse(problem);
        double tolF = Math.max(1e-5, 4 * Math.sqrt(s.k()) * 1.2e-7);
        double errF = check(peer, s, true)[0];
        assertTrue(errF <= tolF, peer + " float " + problem + ": worst relative error " + errF + " > " + tolF);
        double errD = check(peer, s, false)[0];
        assertTrue(errD <= 1e-12, peer + " double " + problem + ": worst relative error " + errD);
    }

    /** The check above can fail: a peer that ignores transB is caught. */
    @Test
    void checkCatchesAWrongTranspose() {
        Peer wrong = new Peer() {
            public void sgemm(GemmShape s, float[] a, float[] b, float[] c) {
                NaiveGemm.sgemm(s.transA(), false, s.m(), s.n(), s.k(), a, s.lda(), b, s.n(), c, s.ldc());
            }

            public void dgemm(GemmShape s, double[] a, double[] b, double[] c) {
                NaiveGemm.dgemm(s.transA(), false, s.m(), s.n(), s.k(), a, s.lda(), b, s.n(), c, s.ldc());
            }
        };
        GemmShape s = GemmShape.parse("9x9x9/NT");
        assertTrue(check(wrong, s, true)[0] > 1e-3);
        assertTrue(check(wrong, s, false)[0] > 1e-3);
    }

    @Test
    void netlibGivesTheImplementationsItIsNamedFor() {
        assertEquals("VectorBLAS", NetlibGemm.vector().getClass().getSimpleName());
        assertEquals("Java11BLAS", NetlibGemm.scalar().getClass().getSimpleName());
    }

    @Test
    void shapeParsing() {
        GemmShape s = GemmShape.parse("128x784x256/NT");
        assertEquals(new GemmShape(128, 784, 256, false, true), s);
        assertEquals(784, s.lda());
        assertEquals(784, s.ldb());
        assertEquals(256, s.ldc());
        assertEquals(2.0 * 128 * 784 * 256, s.flops());
        assertEquals("128x784x256/NT", s.toString());
        assertEquals(GemmShape.parse("5x6x7/NN"), GemmShape.parse("5x6x7"));
        assertEquals(new GemmShape(512, 512, 512, true, false), GemmShape.of("512", "TN"));
        assertEquals("512", GemmShape.of("512", "TN").shapeParam());
        assertEquals("512/TN", GemmShape.of("512", "TN").toString());
        GemmShape t = GemmShape.parse("3x4x5/TN");
        assertEquals(3, t.lda());
        assertEquals(5, t.ldb());
        for (String bad : new String[] {"", "1x2", "1x2x3/NX", "axbxc/NN", "1x2x3/NNN", "-1x2x3/NN"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "''" : bad) || e.getMessage().contains(">= 0"),
                    e.getMessage());
        }
    }
}
