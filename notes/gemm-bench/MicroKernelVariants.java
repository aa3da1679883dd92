// notes/gemm-bench/MicroKernelVariants.java — why the 12x2 micro-kernel runs at two thirds of the FMA peak: in one JVM,
// in turns of 2,000 calls (kc = 256, slivers in L1, thread CPU time), a register-only FMA loop with 24 accumulators
// (the in-run peak) against copies of the micro-kernel's loop: as is (12 broadcasts of A + 2 loads of B per 24 FMAs),
// without the A broadcasts, without the B loads, and the 6x4 and 8x3 tiles. Prints each one's rate / peak (median of 30
// turns). Fifth session: 0.76-0.84 / 0.93-1.01 / 0.86-0.96 / 0.79-0.88 / 0.73-0.76. Package-private access, hence the
// package. Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/mkv notes/gemm-bench/MicroKernelVariants.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/mkv dev.vecprop.kernels.MicroKernelVariants
package dev.vecprop.kernels;
import jdk.incubator.vector.*;
public class MicroKernelVariants {
    static void w0(int kc, float[] pa, int ia, int as, float[] pb, int ib, int bs, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S); FloatVector c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S); FloatVector c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S); FloatVector c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S); FloatVector c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S); FloatVector c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S); FloatVector c11_1 = FloatVector.zero(S);
        FloatVector k0 = FloatVector.broadcast(S, pa[ia]), kb0 = FloatVector.fromArray(S, pb, ib), kb1 = FloatVector.fromArray(S, pb, ib + 16), kb2 = FloatVector.fromArray(S, pb, ib + 32), kb3 = FloatVector.fromArray(S, pb, ib + 48);
        for (int p = 0; p < kc; p++) {
            int ao = ia + p * 12; int bo = ib + p * 32;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo + 0);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + 16);
            FloatVector a;
            a = FloatVector.broadcast(S, pa[ao + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, pa[ao + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, pa[ao + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, pa[ao + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, pa[ao + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, pa[ao + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, pa[ao + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, pa[ao + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, pa[ao + 8]); c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, pa[ao + 9]); c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, pa[ao + 10]); c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, pa[ao + 11]); c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        c0_0.intoArray(tile, 0*16);
        c0_1.intoArray(tile, 1*16);
        c1_0.intoArray(tile, 2*16);
        c1_1.intoArray(tile, 3*16);
        c2_0.intoArray(tile, 4*16);
        c2_1.intoArray(tile, 5*16);
        c3_0.intoArray(tile, 6*16);
        c3_1.intoArray(tile, 7*16);
        c4_0.intoArray(tile, 8*16);
        c4_1.intoArray(tile, 9*16);
        c5_0.intoArray(tile, 10*16);
        c5_1.intoArray(tile, 11*16);
        c6_0.intoArray(tile, 12*16);
        c6_1.intoArray(tile, 13*16);
        c7_0.intoArray(tile, 14*16);
        c7_1.intoArray(tile, 15*16);
        c8_0.intoArray(tile, 16*16);
        c8_1.intoArray(tile, 17*16);
        c9_0.intoArray(tile, 18*16);
        c9_1.intoArray(tile, 19*16);
        c10_0.intoArray(tile, 20*16);
        c10_1.intoArray(tile, 21*16);
        c11_0.intoArray(tile, 22*16);
        c11_1.intoArray(tile, 23*16);
    }
    static void w1(int kc, float[] pa, int ia, int as, float[] pb, int ib, int bs, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S); FloatVector c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S); FloatVector c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S); FloatVector c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S); FloatVector c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S); FloatVector c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S); FloatVector c11_1 = FloatVector.zero(S);
        FloatVector k0 = FloatVector.broadcast(S, pa[ia]), kb0 = FloatVector.fromArray(S, pb, ib), kb1 = FloatVector.fromArray(S, pb, ib + 16), kb2 = FloatVector.fromArray(S, pb, ib + 32), kb3 = FloatVector.fromArray(S, pb, ib + 48);
        for (int p = 0; p < kc; p++) {
            int ao = ia + p * 12; int bo = ib + p * 32;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo + 0);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + 16);
            FloatVector a;
            a = k0; c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = k0; c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = k0; c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = k0; c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = k0; c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = k0; c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = k0; c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = k0; c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = k0; c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = k0; c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = k0; c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = k0; c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        c0_0.intoArray(tile, 0*16);
        c0_1.intoArray(tile, 1*16);
        c1_0.intoArray(tile, 2*16);
        c1_1.intoArray(tile, 3*16);
        c2_0.intoArray(tile, 4*16);
        c2_1.intoArray(tile, 5*16);
        c3_0.intoArray(tile, 6*16);
        c3_1.intoArray(tile, 7*16);
        c4_0.intoArray(tile, 8*16);
        c4_1.intoArray(tile, 9*16);
        c5_0.intoArray(tile, 10*16);
        c5_1.intoArray(tile, 11*16);
        c6_0.intoArray(tile, 12*16);
        c6_1.intoArray(tile, 13*16);
        c7_0.intoArray(tile, 14*16);
        c7_1.intoArray(tile, 15*16);
        c8_0.intoArray(tile, 16*16);
        c8_1.intoArray(tile, 17*16);
        c9_0.intoArray(tile, 18*16);
        c9_1.intoArray(tile, 19*16);
        c10_0.intoArray(tile, 20*16);
        c10_1.intoArray(tile, 21*16);
        c11_0.intoArray(tile, 22*16);
        c11_1.intoArray(tile, 23*16);
    }
    static void w2(int kc, float[] pa, int ia, int as, float[] pb, int ib, int bs, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S); FloatVector c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S); FloatVector c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S); FloatVector c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S); FloatVector c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S); FloatVector c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S); FloatVector c11_1 = FloatVector.zero(S);
        FloatVector k0 = FloatVector.broadcast(S, pa[ia]), kb0 = FloatVector.fromArray(S, pb, ib), kb1 = FloatVector.fromArray(S, pb, ib + 16), kb2 = FloatVector.fromArray(S, pb, ib + 32), kb3 = FloatVector.fromArray(S, pb, ib + 48);
        for (int p = 0; p < kc; p++) {
            int ao = ia + p * 12; int bo = ib + p * 32;
            FloatVector b0 = kb0;
            FloatVector b1 = kb1;
            FloatVector a;
            a = FloatVector.broadcast(S, pa[ao + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, pa[ao + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, pa[ao + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, pa[ao + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, pa[ao + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, pa[ao + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, pa[ao + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, pa[ao + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, pa[ao + 8]); c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, pa[ao + 9]); c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, pa[ao + 10]); c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, pa[ao + 11]); c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        c0_0.intoArray(tile, 0*16);
        c0_1.intoArray(tile, 1*16);
        c1_0.intoArray(tile, 2*16);
        c1_1.intoArray(tile, 3*16);
        c2_0.intoArray(tile, 4*16);
        c2_1.intoArray(tile, 5*16);
        c3_0.intoArray(tile, 6*16);
        c3_1.intoArray(tile, 7*16);
        c4_0.intoArray(tile, 8*16);
        c4_1.intoArray(tile, 9*16);
        c5_0.intoArray(tile, 10*16);
        c5_1.intoArray(tile, 11*16);
        c6_0.intoArray(tile, 12*16);
        c6_1.intoArray(tile, 13*16);
        c7_0.intoArray(tile, 14*16);
        c7_1.intoArray(tile, 15*16);
        c8_0.intoArray(tile, 16*16);
        c8_1.intoArray(tile, 17*16);
        c9_0.intoArray(tile, 18*16);
        c9_1.intoArray(tile, 19*16);
        c10_0.intoArray(tile, 20*16);
        c10_1.intoArray(tile, 21*16);
        c11_0.intoArray(tile, 22*16);
        c11_1.intoArray(tile, 23*16);
    }
    static void w3(int kc, float[] pa, int ia, int as, float[] pb, int ib, int bs, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S); FloatVector c0_2 = FloatVector.zero(S); FloatVector c0_3 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S); FloatVector c1_2 = FloatVector.zero(S); FloatVector c1_3 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S); FloatVector c2_2 = FloatVector.zero(S); FloatVector c2_3 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S); FloatVector c3_2 = FloatVector.zero(S); FloatVector c3_3 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S); FloatVector c4_2 = FloatVector.zero(S); FloatVector c4_3 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S); FloatVector c5_2 = FloatVector.zero(S); FloatVector c5_3 = FloatVector.zero(S);
        FloatVector k0 = FloatVector.broadcast(S, pa[ia]), kb0 = FloatVector.fromArray(S, pb, ib), kb1 = FloatVector.fromArray(S, pb, ib + 16), kb2 = FloatVector.fromArray(S, pb, ib + 32), kb3 = FloatVector.fromArray(S, pb, ib + 48);
        for (int p = 0; p < kc; p++) {
            int ao = ia + p * 6; int bo = ib + p * 64;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo + 0);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + 16);
            FloatVector b2 = FloatVector.fromArray(S, pb, bo + 32);
            FloatVector b3 = FloatVector.fromArray(S, pb, bo + 48);
            FloatVector a;
            a = FloatVector.broadcast(S, pa[ao + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1); c0_2 = a.fma(b2, c0_2); c0_3 = a.fma(b3, c0_3);
            a = FloatVector.broadcast(S, pa[ao + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1); c1_2 = a.fma(b2, c1_2); c1_3 = a.fma(b3, c1_3);
            a = FloatVector.broadcast(S, pa[ao + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1); c2_2 = a.fma(b2, c2_2); c2_3 = a.fma(b3, c2_3);
            a = FloatVector.broadcast(S, pa[ao + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1); c3_2 = a.fma(b2, c3_2); c3_3 = a.fma(b3, c3_3);
            a = FloatVector.broadcast(S, pa[ao + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1); c4_2 = a.fma(b2, c4_2); c4_3 = a.fma(b3, c4_3);
            a = FloatVector.broadcast(S, pa[ao + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1); c5_2 = a.fma(b2, c5_2); c5_3 = a.fma(b3, c5_3);
        }
        c0_0.intoArray(tile, 0*16);
        c0_1.intoArray(tile, 1*16);
        c0_2.intoArray(tile, 2*16);
        c0_3.intoArray(tile, 3*16);
        c1_0.intoArray(tile, 4*16);
        c1_1.intoArray(tile, 5*16);
        c1_2.intoArray(tile, 6*16);
        c1_3.intoArray(tile, 7*16);
        c2_0.intoArray(tile, 8*16);
        c2_1.intoArray(tile, 9*16);
        c2_2.intoArray(tile, 10*16);
        c2_3.intoArray(tile, 11*16);
        c3_0.intoArray(tile, 12*16);
        c3_1.intoArray(tile, 13*16);
        c3_2.intoArray(tile, 14*16);
        c3_3.intoArray(tile, 15*16);
        c4_0.intoArray(tile, 16*16);
        c4_1.intoArray(tile, 17*16);
        c4_2.intoArray(tile, 18*16);
        c4_3.intoArray(tile, 19*16);
        c5_0.intoArray(tile, 20*16);
        c5_1.intoArray(tile, 21*16);
        c5_2.intoArray(tile, 22*16);
        c5_3.intoArray(tile, 23*16);
    }
    static void w4(int kc, float[] pa, int ia, int as, float[] pb, int ib, int bs, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S); FloatVector c0_2 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S); FloatVector c1_2 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S); FloatVector c2_2 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S); FloatVector c3_2 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S); FloatVector c4_2 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S); FloatVector c5_2 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S); FloatVector c6_1 = FloatVector.zero(S); FloatVector c6_2 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S); FloatVector c7_1 = FloatVector.zero(S); FloatVector c7_2 = FloatVector.zero(S);
        FloatVector k0 = FloatVector.broadcast(S, pa[ia]), kb0 = FloatVector.fromArray(S, pb, ib), kb1 = FloatVector.fromArray(S, pb, ib + 16), kb2 = FloatVector.fromArray(S, pb, ib + 32), kb3 = FloatVector.fromArray(S, pb, ib + 48);
        for (int p = 0; p < kc; p++) {
            int ao = ia + p * 8; int bo = ib + p * 48;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo + 0);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + 16);
            FloatVector b2 = FloatVector.fromArray(S, pb, bo + 32);
            FloatVector a;
            a = FloatVector.broadcast(S, pa[ao + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1); c0_2 = a.fma(b2, c0_2);
            a = FloatVector.broadcast(S, pa[ao + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1); c1_2 = a.fma(b2, c1_2);
            a = FloatVector.broadcast(S, pa[ao + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1); c2_2 = a.fma(b2, c2_2);
            a = FloatVector.broadcast(S, pa[ao + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1); c3_2 = a.fma(b2, c3_2);
            a = FloatVector.broadcast(S, pa[ao + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1); c4_2 = a.fma(b2, c4_2);
            a = FloatVector.broadcast(S, pa[ao + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1); c5_2 = a.fma(b2, c5_2);
            a = FloatVector.broadcast(S, pa[ao + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1); c6_2 = a.fma(b2, c6_2);
            a = FloatVector.broadcast(S, pa[ao + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1); c7_2 = a.fma(b2, c7_2);
        }
        c0_0.intoArray(tile, 0*16);
        c0_1.intoArray(tile, 1*16);
        c0_2.intoArray(tile, 2*16);
        c1_0.intoArray(tile, 3*16);
        c1_1.intoArray(tile, 4*16);
        c1_2.intoArray(tile, 5*16);
        c2_0.intoArray(tile, 6*16);
        c2_1.intoArray(tile, 7*16);
        c2_2.intoArray(tile, 8*16);
        c3_0.intoArray(tile, 9*16);
        c3_1.intoArray(tile, 10*16);
        c3_2.intoArray(tile, 11*16);
        c4_0.intoArray(tile, 12*16);
        c4_1.intoArray(tile, 13*16);
        c4_2.intoArray(tile, 14*16);
        c5_0.intoArray(tile, 15*16);
        c5_1.intoArray(tile, 16*16);
        c5_2.intoArray(tile, 17*16);
        c6_0.intoArray(tile, 18*16);
        c6_1.intoArray(tile, 19*16);
        c6_2.intoArray(tile, 20*16);
        c7_0.intoArray(tile, 21*16);
        c7_1.intoArray(tile, 22*16);
        c7_2.intoArray(tile, 23*16);
    }
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static float peak(int iters, float[] out) {
        FloatVector a = FloatVector.broadcast(S, 1.0001f), b = FloatVector.broadcast(S, 0.9999f);
        FloatVector c0=FloatVector.zero(S),c1=c0,c2=c0,c3=c0,c4=c0,c5=c0,c6=c0,c7=c0,c8=c0,c9=c0,c10=c0,c11=c0,c12=c0,c13=c0,c14=c0,c15=c0,c16=c0,c17=c0,c18=c0,c19=c0,c20=c0,c21=c0,c22=c0,c23=c0;
        for (int i = 0; i < iters; i++) {
            c0=a.fma(b,c0);c1=a.fma(b,c1);c2=a.fma(b,c2);c3=a.fma(b,c3);c4=a.fma(b,c4);c5=a.fma(b,c5);c6=a.fma(b,c6);c7=a.fma(b,c7);
            c8=a.fma(b,c8);c9=a.fma(b,c9);c10=a.fma(b,c10);c11=a.fma(b,c11);c12=a.fma(b,c12);c13=a.fma(b,c13);c14=a.fma(b,c14);c15=a.fma(b,c15);
            c16=a.fma(b,c16);c17=a.fma(b,c17);c18=a.fma(b,c18);c19=a.fma(b,c19);c20=a.fma(b,c20);c21=a.fma(b,c21);c22=a.fma(b,c22);c23=a.fma(b,c23);
        }
        c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).add(c16).add(c17).add(c18).add(c19).add(c20).add(c21).add(c22).add(c23).intoArray(out, 0);
        return out[0];
    }
    public static void main(String[] x) {
        int kc = 256, MR = 12, NR = 32;
        float[] pa = new float[MR * kc * 8 + 64], pb = new float[64 * kc + 64], tile = new float[MR * NR], out = new float[16];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < pa.length; i++) pa[i] = r.nextFloat();
        for (int i = 0; i < pb.length; i++) pb[i] = r.nextFloat();
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        int V = 6; double[][] ratio = new double[V][30];
        for (int pass = -5; pass < 30; pass++) {
            double[] g = new double[V];
            for (int v = 0; v < V; v++) {
                long t0 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 2000; it++) {
                    int ia = (it & 7) * MR * kc;
                    switch (v) {
                        case 0 -> peak(kc, out);
                        case 1 -> w0(kc, pa, ia, MR, pb, 0, NR, tile);
                        case 2 -> w1(kc, pa, ia, MR, pb, 0, NR, tile);
                        case 3 -> w2(kc, pa, ia, MR, pb, 0, NR, tile);
                        case 4 -> w3(kc, pa, ia, MR, pb, 0, NR, tile);
                        default -> w4(kc, pa, ia, MR, pb, 0, NR, tile);
                    }
                }
                g[v] = 2.0 * MR * NR * kc * 2000 / (tm.getCurrentThreadCpuTime() - t0);
            }
            if (pass >= 0) for (int v = 1; v < V; v++) ratio[v][pass] = g[v] / g[0];
        }
        String[] names = {"peak", "12x2 as is", "12x2 no A loads", "12x2 no B loads", "6x4", "8x3"};
        for (int v = 1; v < V; v++) { java.util.Arrays.sort(ratio[v]); System.out.printf("%-22s / peak: median %.3f (p25 %.3f p75 %.3f)%n", names[v], ratio[v][15], ratio[v][7], ratio[v][22]); }
    }
}
