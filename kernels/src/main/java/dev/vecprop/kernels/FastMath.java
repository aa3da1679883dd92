package dev.vecprop.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector building blocks of the activation and softmax kernels: exp, sigmoid, tanh, GELU (both forms), SiLU,
 * softplus, for float and double lanes. Loaded only on the vector path.
 *
 * <p>These are small static methods that C2 inlines into the calling loop (a vector that crossed a
 * non-inlined call would be boxed, DESIGN §5); keep them small (below C2's 325-byte FreqInlineSize), free of
 * loops, and call each at most once per loop (every inlined copy counts against C2's node budget,
 * NodeCountInliningCutoff). notes/elementwise-inlining checks this with and without tiered compilation.
 *
 * <p><b>float exp</b> is our own, not {@code lanewise(EXP)}: range reduction {@code x = k·ln2 + r},
 * {@code |r| ≤ ln2/2} (Cody–Waite split of ln2, exact with FMA), a degree-6 polynomial for e^r (fitted for
 * minimal relative error, 3.1e-9 in exact arithmetic), and 2^k built from the rounding bits of
 * {@code x·log2e + 1.5·2²³}. {@link #exp} applies 2^k as two exact power-of-two multiplies, so gradual
 * underflow to subnormals comes out of the arithmetic (≤ 1 ulp over [−104, 89], FastMathTest). The
 * activations use {@link #expNeg}, and softmax {@link #expShifted}: one scale and a plain Horner polynomial,
 * with results below ~1e-38 flushed to 0 (inside the 1e-20 absolute floor), which saves a third of the
 * operations. No TANH/EXP intrinsic is needed, so the float path is the same on x86 and AArch64.
 *
 * <p><b>float tanh</b> at 512 bits ({@link #tanhTable}): no division, no exp. |x| is clamped to 9.0625 (tanh is
 * 1 in float from 9.011 on), split into 16 intervals of width H ≈ 0.5847 centred on k·H, k = round(|x|/H) from
 * the rounding bits of {@code |x|/H + 1.5·2²³}, and tanh is a degree-6 polynomial in r = |x| − k·H whose seven
 * coefficients per interval are picked from seven 16-float tables by one lane permute each ({@code selectFrom},
 * vpermd), then the sign of x. Interval 0 has c0 = 0, c1 = 1, so tiny and subnormal x give x and −0 gives −0.
 * The tables come from kernels/src/codegen/tanh_table.py (fitted in float64, minimax in ulps, checked there on
 * every float in [0, 9.07]: ≤ 2.74 ulp). 21 vector operations per 16 floats against 23 + a division's 3 for
 * the exp form; measured 1.2–1.4× the exp form at 2^14 floats (notes/elem3-README.md). At 128 and 256 bits a
 * 16-entry table needs two or four vectors per lookup (measured slower there, and on AVX2-only hardware the
 * two-vector permute is emulated), so those widths keep the exp form {@link #tanhRational}: with
 * a = min(|x|, 9.1), m = −expm1(−2a) (e^r − 1 = r + r²·P(r), then 1 − 2^k·e^r by one FMA) and
 * tanh a = m/(2 − m), with the sign of x: one division, no cancellation near 0.
 *
 * <p><b>float sigmoid/SiLU</b>: 1/(1 + e^−x), x/(1 + e^−x). <b>float GELU</b> (tanh form): x/(1 + e^−v)
 * with the float-float v = 2u folded into the exp reduction. <b>float GELU (erf form)</b>: a fitted
 * erfcx rational times e^(−x²/2), evaluated in double lanes. Measured max errors: FastMathTest prints them.
 *
 * <p><b>double</b> versions use the JDK's {@code lanewise(EXP)} / {@code EXPM1} (SVML on x86, ≤ 1 ulp), with
 * tanh as {@code −m/(2 + m)}, {@code m = expm1(−2|x|)}: accurate for all x without a TANH intrinsic.
 */
final class FastMath {
    private FastMath() {
    }

    // ---- float constants ----
    static final float LOG2E = 1.4426950216293335f;
    /** ln2 split: the head has 15 significant bits, so k·LN2_HI is exact for |k| < 512. */
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.428606765330187e-06f;
    /** 1.5·2²³: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    /** exp(x) is +∞ in float above 88.73 and 0 below −103.98; clamping there keeps 2^k's exponents valid. */
    static final float EXP_MAX = 89f;
    static final float EXP_MIN = -104f;
    /** Below this e^x is 0 in float (e^−104 rounds to 0); the double threshold is −746. */
    static final float F_EXP_UNDERFLOW = -104f;
    static final double D_EXP_UNDERFLOW = -746.0;
    static final float E2 = 0.4999999403953552f;
    static final float E3 = 0.1666652113199234f;
    static final float E4 = 0.04166838899254799f;
    static final float E5 = 0.008368711918592453f;
    static final float E6 = 0.0013814446283504367f;
    /** tanh(x) rounds to ±1 in float for |x| ≥ 9.1 (1 − tanh 9.1 ≈ 2.5e-8 < half an ulp below 1). */
    static final float TANH_CLAMP = 9.1f;
    /** Added to (k + ROUND_MAGIC_BITS) << 23 it gives the bits of 2^k: (k + 127) << 23 (mod 2^32). */
    static final int SCALE_BIAS = (127 << 23) - (ROUND_MAGIC_BITS << 23);
    /** The same with the sign bit set: the bits of −2^k. */
    static final int NEG_SCALE_BIAS = SCALE_BIAS + 0x80000000;

    /** GELU v = 2u = K1·x + K3·x³ constants as float-float (head, tail). */
    static final float F_K1_HI = 1.5957691669464111f;
    static final float F_K1_LO = -4.534068054340423e-08f;
    static final float F_K3_HI = 0.07135481387376785f;
    static final float F_K3_LO = 2.3988324659995897e-09f;
    /** Beyond |x| = 20 the float GELU sigmoid is exactly 0 or 1 (the double one needs ±40, D_GELU_CLAMP);
     *  clamping avoids ∞·0. */
    static final float F_GELU_CLAMP = 20f;
    static final float F_SILU_CLAMP = 200f;
    /** The forward GELU clamps x to ±10 (|v| ≤ 87.3; see {@link #gelu(FloatVector)}). */
    static final float F_GELU_FWD_CLAMP = 10f;
    static final int F_GELU_FWD_CLAMP_BITS = Float.floatToRawIntBits(F_GELU_FWD_CLAMP);
    /** K1 = 2√(2/π) split for {@link #geluForwardPTail}: a head with 20 fraction bits (0x1.98845p0) and the rest. */
    static final float F_GK1_HI = 0x1.98845p0f;
    static final float F_GK1_LO = (float) (ScalarMath.K1_HI - 0x1.98845p0 + ScalarMath.K1_LO);

    /**
     * erfcx(z) = e^(z²)·erfc(z) ≈ P(z)/Q(z) for z = a/√2, a ∈ [0, 10], fitted for relative error (2.6e-9),
     * with 1/√2 folded into the coefficients (powers of a = |x|) and P halved (Φ = erfc/2). Evaluated in
     * double lanes, so only the fit and the final rounding to float count (≈ 0.55 ulp).
     */
    static final double ERFC_P0 = 0.5000000012626482;
    static final double ERFC_P1 = 0.4262319450930638;
    static final double ERFC_P2 = 0.17442388895658767;
    static final double ERFC_P3 = 0.03769425821791559;
    static final double ERFC_P4 = 0.0036874824813871313;
    static final double ERFC_Q1 = 1.6503486426744423;
    static final double ERFC_Q2 = 1.16563314318653;
    static final double ERFC_Q3 = 0.4462275726190826;
    static final double ERFC_Q4 = 0.09449710583201662;
    static final double ERFC_Q5 = 0.00924288836264154;
    /** geluErf's x is clamped to [−40, 40] for Φ (e^(−800) is 0 in double), and to −40 below for the factor x. */
    static final double GELU_ERF_CLAMP = 40.0;

    // ---- double constants (same names with D_) ----
    static final double D_K1_HI = ScalarMath.K1_HI;
    static final double D_K1_LO = ScalarMath.K1_LO;
    static final double D_K3_HI = ScalarMath.K3_HI;
    static final double D_K3_LO = ScalarMath.K3_LO;
    static final double D_GELU_CLAMP = 40.0;
    static final double D_SILU_CLAMP = 800.0;

    /** e^x for every float lane (≤ 1 ulp; +∞ above 88.72, subnormal/0 below −87.3, NaN → NaN). */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.blend(EXP_MAX, x.compare(VectorOperators.GT, EXP_MAX))
                .blend(EXP_MIN, x.compare(VectorOperators.LT, EXP_MIN));
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector kf = t.sub(ROUND_MAGIC);
        IntVector k = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        FloatVector r = kf.fma(FloatVector.broadcast(x.species(), -LN2_HI), xc);
        r = kf.fma(FloatVector.broadcast(x.species(), -LN2_LO), r);
        FloatVector p = r.fma(E6, E5);
        p = p.fma(r, FloatVector.broadcast(r.species(), E4));
        p = p.fma(r, FloatVector.broadcast(r.species(), E3));
        p = p.fma(r, FloatVector.broadcast(r.species(), E2));
        FloatVector er = r.mul(r).fma(p, r).add(1f);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(s1).mul(s2);
    }

    /**
     * e^(d + err) for the terms of a softmax or log-sum-exp, d ≤ 0 (x − max) and err the rounding error of d
     * (|err| ≤ ulp(d)/2), float lanes: err is added to the reduced argument, one power-of-two scale, and
     * results below e^−87.5 ≈ 1e-38 are 0 (so is d = −∞, whose err is NaN). NaN → NaN. ≤ 1 ulp elsewhere.
     */
    static FloatVector expShifted(FloatVector d, FloatVector err) {
        FloatVector t = d.fma(LOG2E, ROUND_MAGIC);
        FloatVector kf = t.sub(ROUND_MAGIC);
        FloatVector r = kf.fma(FloatVector.broadcast(d.species(), -LN2_HI), d);
        r = kf.fma(FloatVector.broadcast(d.species(), -LN2_LO), r).add(err);
        FloatVector p = r.fma(E6, E5);
        p = p.fma(r, FloatVector.broadcast(d.species(), E4));
        p = p.fma(r, FloatVector.broadcast(d.species(), E3));
        p = p.fma(r, FloatVector.broadcast(d.species(), E2));
        p = p.fma(r, FloatVector.broadcast(d.species(), 1f));
        FloatVector e = p.fma(r, FloatVector.broadcast(d.species(), 1f));
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(SCALE_BIAS)
                .reinterpretAsFloats();
        return e.mul(scale).blend(0f, d.compare(VectorOperators.LT, -87.5f));
    }

    /** e^(d + err), double lanes (see the float version): the JDK's EXP, 0 below the underflow threshold. */
    static DoubleVector expShifted(DoubleVector d, DoubleVector err) {
        DoubleVector e = d.lanewise(VectorOperators.EXP);
        return e.fma(err, e).blend(0.0, d.compare(VectorOperators.LT, D_EXP_UNDERFLOW));
    }

    /** e^x, double lanes: the JDK's EXP (SVML on x86). */
    static DoubleVector exp(DoubleVector x) {
        return x.lanewise(VectorOperators.EXP);
    }

    /**
     * e^−x for the activations, float lanes: the same reduction and polynomial as {@link #exp} but with one
     * power-of-two scale, so x is clamped to [−89, 88] first: results below 2^−126 (x > 87.3) are 0 and
     * results above 2^127·√2 (x < −88.4) are +∞, where every caller (1/(1 + e^−x), x/(1 + e^−x), e^−|v|)
     * only needs the limit. ≤ 1 ulp elsewhere (same polynomial as exp); NaN → NaN.
     */
    static FloatVector expNeg(FloatVector x) {
        FloatVector xc = x.blend(88f, x.compare(VectorOperators.GT, 88f))
                .blend(-89f, x.compare(VectorOperators.LT, -89f));
        // −x = k·ln2 − u, u = x + k·ln2 (|u| ≤ ln2/2), so e^−x = 2^k·e^−u
        FloatVector t = xc.fma(-LOG2E, ROUND_MAGIC);
        FloatVector kf = t.sub(ROUND_MAGIC);
        FloatVector u = kf.fma(FloatVector.broadcast(x.species(), LN2_HI), xc);
        u = kf.fma(FloatVector.broadcast(x.species(), LN2_LO), u);
        // e^−u = 1 − u + E2·u² − E3·u³ + … (Horner with the odd coefficients negated)
        FloatVector p = u.fma(E6, -E5);
        p = p.fma(u, FloatVector.broadcast(x.species(), E4));
        p = p.fma(u, FloatVector.broadcast(x.species(), -E3));
        p = p.fma(u, FloatVector.broadcast(x.species(), E2));
        p = p.fma(u, FloatVector.broadcast(x.species(), -1f));
        FloatVector e = p.fma(u, FloatVector.broadcast(x.species(), 1f));
        // 2^k from the rounding bits of t: k = −127 gives the bit pattern of 0, k = 128 that of +∞
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(SCALE_BIAS)
                .reinterpretAsFloats();
        return e.mul(scale);
    }

    /** σ(x) = 1/(1 + e^−x); e^−x = +∞ gives 0, as it should. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(x.species(), 1f);
        return one.div(expNeg(x).add(1f));
    }

    /** e^−x, double lanes: the JDK's EXP. */
    static DoubleVector expNeg(DoubleVector x) {
        return x.neg().lanewise(VectorOperators.EXP);
    }

    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector one = DoubleVector.broadcast(x.species(), 1.0);
        return one.div(expNeg(x).add(1.0));
    }

    /**
     * tanh(x), float lanes: the table form at 512 bits ({@link #tanhTable}), the exp form otherwise
     * ({@link #tanhRational}); the choice folds away at JIT time (Species.FL is a constant). Both ≤ 3 ulp.
     */
    static FloatVector tanh(FloatVector x) {
        return Species.FL == TANH_N ? tanhTable(x) : tanhRational(x);
    }

    // Table tanh constants: written by `python3 kernels/src/codegen/tanh_table.py --write` (do not edit by hand).
    // TANH_TABLE holds 7 rows (c0 … c6) of 16 floats, one per interval.
    //GENERATED-TANH-BEGIN
    // N=16, DEG=6: simulated max error 2.74 ulp at x=0.2923595607280731 (every float in [0, A_MAX])
    static final float TANH_MAX = 0x1.22p+3f;
    static final float TANH_H = 0x1.2b5aeap-1f;
    static final float TANH_INV_H = 0x1.b5d90cp+0f;
    static final float[] TANH_TABLE = {
        // c0
        0f, 0x1.0d576p-1f, 0x1.a5ebeep-1f, 0x1.e237ecp-1f,
        0x1.f68fc4p-1f, 0x1.fd0cccp-1f, 0x1.ff14fep-1f, 0x1.ffb6f8p-1f,
        0x1.ffe95p-1f, 0x1.fff8f4p-1f, 0x1.fffddp-1f, 0x1.ffff52p-1f,
        0x1.ffffcap-1f, 0x1.fffffp-1f, 0x1.fffffap-1f, 0x1.fffffep-1f,
        // c1
        0x1p+0f, 0x1.724fep-1f, 0x1.489e2cp-2f, 0x1.cea574p-4f,
        0x1.2b3edp-5f, 0x1.788348p-7f, 0x1.d597dap-9f, 0x1.240a84p-10f,
        0x1.6aeecp-12f, 0x1.c2e9cap-14f, 0x1.18167cp-15f, 0x1.5bf2bp-17f,
        0x1.b03efep-19f, 0x1.0c7bap-20f, 0x1.4d871ap-22f, 0x1.9e6bf8p-24f,
        // c2
        -0x1.07f84p-19f, -0x1.859e8cp-2f, -0x1.0ece14p-2f, -0x1.b3ba04p-4f,
        -0x1.25b8e6p-5f, -0x1.763f5ap-7f, -0x1.d4a3b8p-9f, -0x1.239d12p-10f,
        -0x1.671afcp-12f, -0x1.bb14e2p-14f, -0x1.217db8p-15f, -0x1.569a0cp-17f,
        -0x1.c9f7c6p-19f, -0x1.8908a2p-18f, 0x1.3498a4p-18f, 0x1.324b9ap-19f,
        // c3
        -0x1.553aeap-2f, -0x1.50cf66p-5f, 0x1.c68676p-4f, 0x1.00327p-4f,
        0x1.792212p-6f, 0x1.ed583ap-8f, 0x1.375f5p-9f, 0x1.84b69ap-11f,
        0x1.e39f48p-13f, 0x1.2c8946p-14f, 0x1.75669cp-16f, 0x1.cfe332p-18f,
        0x1.2023c2p-19f, 0x1.65f316p-21f, 0x1.bcaaf6p-23f, 0x1.314a68p-27f,
        // c4
        -0x1.b84ed2p-10f, 0x1.30626cp-3f, -0x1.a5f674p-9f, -0x1.81090cp-6f,
        -0x1.5d9176p-7f, -0x1.edc93p-9f, -0x1.3bf3aap-10f, -0x1.a4a972p-12f,
        -0x1.db2562p-13f, -0x1.886188p-14f, 0x1.8ce0f8p-16f, -0x1.19b9dap-17f,
        0x1.46da42p-18f, 0x1.3b2dc8p-13f, -0x1.3f83ep-13f, -0x1.378a72p-14f,
        // c5
        0x1.2a35aap-3f, -0x1.681a64p-5f, -0x1.c3a13p-6f, 0x1.cd9f6cp-9f,
        0x1.d5a0f4p-9f, 0x1.7261e8p-10f, 0x1.eb90b8p-12f, 0x1.386634p-13f,
        0x1.86caf6p-15f, 0x1.e683a2p-17f, 0x1.2e6896p-18f, 0x1.77a77ep-20f,
        0x1.d2bc5cp-22f, 0x1.21dbf4p-23f, 0x1.6827cp-25f, 0x1.cda1acp-21f,
        // c6
        -0x1.52b418p-5f, -0x1.1ac47ap-5f, 0x1.14fe26p-6f, 0x1.386ad4p-9f,
        -0x1.23c83cp-11f, 0x1.24f26ep-12f, 0x1.96ba9p-15f, 0x1.9651e6p-13f,
        0x1.bca68ap-11f, 0x1.d07704p-12f, -0x1.1c7686p-12f, 0x1.3d7ec6p-15f,
        -0x1.83f154p-15f, -0x1.3242c4p-10f, 0x1.358fa8p-10f, 0x1.2fe8b6p-11f,
    };
    //GENERATED-TANH-END

    /** Intervals of the table tanh: one 16-float vector per coefficient (512-bit float lanes). */
    static final int TANH_N = 16;

    /**
     * tanh(x) without division, float lanes, for 16-lane species (see the class comment): a = min(|x|, TANH_MAX)
     * (NaN stays NaN: the compare is false), k = round(a/H) taken from the low mantissa bits of
     * t = a·(1/H) + 1.5·2²³ (selectFrom wraps the index modulo 16, which is those bits), r = a − k·H by one FMA,
     * |r| ≤ H/2, then Horner with the coefficients of interval k, each picked by one permute, and x's sign
     * OR-ed in (exact; keeps −0 and NaN).
     */
    static FloatVector tanhTable(FloatVector x) {
        FloatVector a = x.abs();
        a = a.blend(TANH_MAX, a.compare(VectorOperators.GT, TANH_MAX));
        FloatVector t = a.fma(TANH_INV_H, ROUND_MAGIC);
        FloatVector kf = t.sub(ROUND_MAGIC);
        FloatVector r = kf.fma(FloatVector.broadcast(x.species(), -TANH_H), a);
        IntVector k = t.reinterpretAsInts();
        FloatVector p = tanhCoef(k, 6);
        p = p.fma(r, tanhCoef(k, 5));
        p = p.fma(r, tanhCoef(k, 4));
        p = p.fma(r, tanhCoef(k, 3));
        p = p.fma(r, tanhCoef(k, 2));
        p = p.fma(r, tanhCoef(k, 1));
        p = p.fma(r, tanhCoef(k, 0));
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return p.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /**
     * TANH_TABLE's bit patterns. The rows are loaded from an int[] on purpose: the kernels store into float[],
     * which C2 must assume may alias a float[] table, so it would reload all seven rows every iteration; an int[]
     * cannot alias a float[], so the loads are hoisted and the rows stay in registers (measured ~15% faster).
     */
    static final int[] TANH_TABLE_BITS = bitsOf(TANH_TABLE);

    private static int[] bitsOf(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    /**
     * Coefficient j of each lane's interval: row j of the table permuted by k (mod 16). 16-lane species only;
     * k.species() is the int species of Species.F, a constant to C2.
     */
    static FloatVector tanhCoef(IntVector k, int j) {
        IntVector row = IntVector.fromArray(k.species(), TANH_TABLE_BITS, TANH_N * j);
        return k.selectFrom(row).reinterpretAsFloats();
    }

    /**
     * tanh(x), float lanes, the exp form used below 512 bits (see the class comment): with a = min(|x|, 9.1) and
     * m = −expm1(−2a) ∈ [0, 1], tanh a = m/(2 − m), then the sign of x. One division, no cancellation for small
     * |x| (m ≈ 2a there); beyond 9.1, tanh is 1 in float.
     */
    static FloatVector tanhRational(FloatVector x) {
        FloatVector a = x.abs();
        a = a.blend(TANH_CLAMP, a.compare(VectorOperators.GT, TANH_CLAMP));
        // −2a = k·ln2 + r, |r| ≤ ln2/2, k ∈ [−27, 0]
        FloatVector t = a.fma(-2f * LOG2E, ROUND_MAGIC);
        FloatVector kf = t.sub(ROUND_MAGIC);
        FloatVector r = kf.fma(FloatVector.broadcast(x.species(), -LN2_HI), a.mul(-2f));
        r = kf.fma(FloatVector.broadcast(x.species(), -LN2_LO), r);
        FloatVector p = r.fma(E6, E5);
        p = p.fma(r, FloatVector.broadcast(x.species(), E4));
        p = p.fma(r, FloatVector.broadcast(x.species(), E3));
        p = p.fma(r, FloatVector.broadcast(x.species(), E2));
        FloatVector em1 = r.mul(r).fma(p, r); // e^r − 1
        // ns = −2^k straight from the rounding bits of t (which hold k + ROUND_MAGIC_BITS)
        FloatVector ns = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(NEG_SCALE_BIAS)
                .reinterpretAsFloats();
        FloatVector m = ns.fma(em1, ns.add(1f)); // 1 − 2^k·e^r = −expm1(−2a)
        FloatVector q = m.div(m.fma(-1f, 2f));
        // copy the sign of x onto tanh|x| (exact; NaN stays NaN)
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return q.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /** tanh(x), double lanes: −m/(2 + m), m = expm1(−2|x|), sign of x. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector m = x.abs().mul(-2.0).lanewise(VectorOperators.EXPM1);
        DoubleVector t = m.neg().div(m.add(2.0));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0.0));
    }

    /**
     * σ(2u(x)) of the GELU tanh form, double lanes (the float GELU folds the tail of v into its exp
     * reduction instead), u = √(2/π)(x + 0.044715x³), with v = 2u formed in double-double and its
     * tail applied as {@code σ(v + δ) ≈ σ(v)(1 + (1 − σ(v))δ)}: in the negative tail σ(v) ≈ e^v has relative
     * condition number |v|, so a plainly rounded v would cost many ulp. x is clamped to ±40 first (σ is
     * exactly 0 or 1 in double beyond), which keeps x³ finite; NaN stays NaN.
     */
    static DoubleVector geluSigmoid(DoubleVector x) {
        DoubleVector xc = clampGelu(x);
        DoubleVector x2 = xc.mul(xc);
        DoubleVector q = x2.mul(D_K3_HI);
        DoubleVector p = q.add(D_K1_HI);
        DoubleVector plo = geluPTail(xc, x2, q, p);
        DoubleVector v = p.mul(xc);
        DoubleVector vlo = p.fma(xc, v.neg());
        vlo = plo.fma(xc, vlo);
        DoubleVector s = sigmoid(v);
        DoubleVector oneMinusS = DoubleVector.broadcast(x.species(), 1.0).sub(s);
        return s.mul(oneMinusS).fma(vlo, s);
    }

    /**
     * The tail of P = K1 + K3·x² in float-float, given the heads x2 = x·x, q = x2·K3_HI and p = q + K1_HI:
     * the rounding errors of x², of K3·x² and of the sum, plus K3_LO·x² and K1_LO. Shared by
     * {@link #gelu(FloatVector)} and {@link #geluDerivative}, which keeps both below C2's inlining size limit.
     */
    static FloatVector geluPTail(FloatVector xc, FloatVector x2, FloatVector q, FloatVector p) {
        FloatVector x2lo = xc.fma(xc, x2.neg());
        FloatVector k3 = FloatVector.broadcast(xc.species(), F_K3_HI);
        FloatVector qlo = x2.fma(k3, q.neg());
        qlo = x2lo.fma(k3, qlo);
        qlo = x2.fma(FloatVector.broadcast(xc.species(), F_K3_LO), qlo);
        FloatVector bp = p.sub(q);
        return q.sub(p.sub(bp)).add(FloatVector.broadcast(xc.species(), F_K1_HI).sub(bp)).add(qlo).add(F_K1_LO);
    }

    /**
     * The tail plo of P = K1 + K3·x² for the forward GELU, given x2 = x·x and the head p = fma(x2, K3_HI, GK1_HI),
     * in 7 operations instead of {@link #geluPTail}'s 12. GK1_HI is a multiple of 2⁻²⁰, so for |x| ≤ 10
     * (p < 8.8) d = GK1_HI − p is exact: it is a multiple of min(ulp(p), 2⁻²⁰) and needs at most 24 bits in
     * every binade p can be in (checked for every float |x| ≤ 10 by kernels/src/codegen/gelu_tail_check.py).
     * fma(x2, K3_HI, d) is then the rounding error of p's FMA, rounded once; add K3_HI·(x² − x2), K3_LO·x2 and
     * GK1_LO. Only the forward GELU (clamped to ±10) may use it; the backward clamps to ±20, where P reaches 30
     * and d is not exact.
     */
    static FloatVector geluForwardPTail(FloatVector xc, FloatVector x2, FloatVector p) {
        FloatVector k3 = FloatVector.broadcast(xc.species(), F_K3_HI);
        FloatVector x2lo = xc.fma(xc, x2.neg());
        FloatVector perr = x2.fma(k3, FloatVector.broadcast(xc.species(), F_GK1_HI).sub(p));
        FloatVector small = x2.fma(F_K3_LO, F_GK1_LO);
        return x2lo.fma(k3, small).add(perr);
    }

    /** x clamped to ±20 (float) / ±40 (double); NaN stays NaN. A separate small method keeps its callers
     *  below C2's inlining size limit (FreqInlineSize, 325 bytes of bytecode). */
    static FloatVector clampGelu(FloatVector x) {
        return x.blend(F_GELU_CLAMP, x.compare(VectorOperators.GT, F_GELU_CLAMP))
                .blend(-F_GELU_CLAMP, x.compare(VectorOperators.LT, -F_GELU_CLAMP));
    }

    /**
     * The tail of P = K1 + K3·x² in float-float, given the heads x2 = x·x, q = x2·K3_HI and p = q + K1_HI:
     * the rounding errors of x², of K3·x² and of the sum, plus K3_LO·x² and K1_LO. Shared by
     * {@link #geluSigmoid} and {@link #geluDerivative}, which keeps both below C2's inlining size limit.
     */
    static DoubleVector geluPTail(DoubleVector xc, DoubleVector x2, DoubleVector q, DoubleVector p) {
        DoubleVector x2lo = xc.fma(xc, x2.neg());
        DoubleVector k3 = DoubleVector.broadcast(xc.species(), D_K3_HI);
        DoubleVector qlo = x2.fma(k3, q.neg());
        qlo = x2lo.fma(k3, qlo);
        qlo = x2.fma(DoubleVector.broadcast(xc.species(), D_K3_LO), qlo);
        DoubleVector bp = p.sub(q);
        return q.sub(p.sub(bp)).add(DoubleVector.broadcast(xc.species(), D_K1_HI).sub(bp)).add(qlo).add(D_K1_LO);
    }

    static DoubleVector clampGelu(DoubleVector x) {
        return x.blend(D_GELU_CLAMP, x.compare(VectorOperators.GT, D_GELU_CLAMP))
                .blend(-D_GELU_CLAMP, x.compare(VectorOperators.LT, -D_GELU_CLAMP));
    }

    /**
     * Exact GELU x·Φ(x), float lanes, computed in double lanes (two halves) and rounded once: with a = |x| and
     * z = a/√2, erfc(z) = e^(−a²/2)·erfcx(z), erfcx(z) ≈ P(a)/Q(a), and Φ(x) = erfc(z)/2 for x < 0,
     * 1 − erfc(z)/2 for x ≥ 0, so the negative tail keeps its relative accuracy (no 1 + erf cancellation);
     * a² is exact in double. geluErf(−∞) = −0 (x is clamped to −40 first, where Φ is 0); NaN stays NaN.
     */
    static FloatVector geluErf(FloatVector x) {
        DoubleVector lo = (DoubleVector) x.convertShape(VectorOperators.F2D, Species.D, 0);
        DoubleVector hi = (DoubleVector) x.convertShape(VectorOperators.F2D, Species.D, 1);
        FloatVector ylo = (FloatVector) geluErfD(lo).convertShape(VectorOperators.D2F, Species.F, 0);
        FloatVector yhi = (FloatVector) geluErfD(hi).convertShape(VectorOperators.D2F, Species.F, -1);
        // the unused lanes of each half are +0: OR-ing the bits merges them exactly (keeps −0 and NaN)
        return ylo.reinterpretAsInts().or(yhi.reinterpretAsInts()).reinterpretAsFloats();
    }

    /**
     * x·Φ(x) in double lanes for float results (≈ 2.6e-9 relative: float accuracy only); the float path of
     * {@link ActivationKernels} calls it on widened floats, {@link #geluErf(FloatVector)} shows the same for one
     * float vector (used by the accuracy sweep).
     */
    static DoubleVector geluErfD(DoubleVector x) {
        DoubleVector xl = x.blend(-GELU_ERF_CLAMP, x.compare(VectorOperators.LT, -GELU_ERF_CLAMP));
        DoubleVector xc = xl.blend(GELU_ERF_CLAMP, xl.compare(VectorOperators.GT, GELU_ERF_CLAMP));
        DoubleVector a = xc.abs();
        DoubleVector e = a.mul(a).mul(-0.5).lanewise(VectorOperators.EXP);
        DoubleVector p = a.fma(ERFC_P4, ERFC_P3);
        p = p.fma(a, DoubleVector.broadcast(x.species(), ERFC_P2));
        p = p.fma(a, DoubleVector.broadcast(x.species(), ERFC_P1));
        p = p.fma(a, DoubleVector.broadcast(x.species(), ERFC_P0));
        DoubleVector q = a.fma(ERFC_Q5, ERFC_Q4);
        q = q.fma(a, DoubleVector.broadcast(x.species(), ERFC_Q3));
        q = q.fma(a, DoubleVector.broadcast(x.species(), ERFC_Q2));
        q = q.fma(a, DoubleVector.broadcast(x.species(), ERFC_Q1));
        q = q.fma(a, DoubleVector.broadcast(x.species(), 1.0));
        DoubleVector h = e.mul(p); // erfc(z)/2 · Q
        DoubleVector num = h.blend(q.sub(h), xc.compare(VectorOperators.GE, 0.0));
        return num.div(q).mul(xl);
    }

    /**
     * GELU tanh form x·σ(v) = x/(1 + e^−v), v = 2u = x·P, P = K1 + K3·x², float lanes. P is formed in
     * float-float (P + plo, see {@link #geluForwardPTail}) and the product x·P is never rounded on its own: the
     * reduced argument of e^−v is {@code u = x·P + k·ln2 + x·plo} by fused multiply-adds, so in the negative tail
     * (relative condition number |v|) the result keeps its ulps without a correction step. x is clamped to
     * [−10, 10] for v (|v| ≤ 87.3, so 2^k needs one scale and no clamp): beyond +10 σ is exactly 1, and
     * below −10 the result is gelu(−10) ≈ −1.2e-37 (the true value is smaller still: inside the 1e-20 absolute
     * floor), which is also what −∞ gives instead of −∞·0 = NaN. NaN stays NaN.
     */
    static FloatVector gelu(FloatVector x) {
        FloatVector xl = x.blend(-F_GELU_FWD_CLAMP, x.compare(VectorOperators.LT, -F_GELU_FWD_CLAMP));
        // upper clamp on the bits: a signed int min moves x > 10 and +∞ (and +NaN, whose numerator xl stays NaN)
        // to 10 and leaves every negative float alone, in one operation
        FloatVector xc = xl.reinterpretAsInts().lanewise(VectorOperators.MIN, F_GELU_FWD_CLAMP_BITS)
                .reinterpretAsFloats();
        FloatVector x2 = xc.mul(xc);
        FloatVector p = x2.fma(F_K3_HI, F_GK1_HI);
        FloatVector plo = geluForwardPTail(xc, x2, p);
        // −v = k·ln2 − u with u = v + k·ln2, |u| ≤ ln2/2: e^−v = 2^k·e^−u
        FloatVector t = p.mul(xc).fma(-LOG2E, ROUND_MAGIC);
        FloatVector kf = t.sub(ROUND_MAGIC);
        FloatVector u = xc.fma(p, kf.mul(LN2_HI));
        u = kf.fma(FloatVector.broadcast(x.species(), LN2_LO), u);
        u = xc.fma(plo, u);
        FloatVector e = u.fma(E6, -E5);
        e = e.fma(u, FloatVector.broadcast(x.species(), E4));
        e = e.fma(u, FloatVector.broadcast(x.species(), -E3));
        e = e.fma(u, FloatVector.broadcast(x.species(), E2));
        e = e.fma(u, FloatVector.broadcast(x.species(), -1f));
        e = e.fma(u, FloatVector.broadcast(x.species(), 1f));
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(SCALE_BIAS)
                .reinterpretAsFloats();
        return xl.div(e.fma(scale, FloatVector.broadcast(x.species(), 1f)));
    }

    static DoubleVector gelu(DoubleVector x) {
        DoubleVector y = x.mul(geluSigmoid(x));
        return y.blend(0.0, x.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
    }

    /**
     * d gelu/dx = s + x·s(1 − s)(K1 + 3·K3·x²), s = σ(v), v = 2u in float-float as in {@link #geluSigmoid}.
     * With a = e^−|v| and d = 1 + a: s = 1/d (v ≥ 0) or a/d (v < 0), plus the tail correction, and
     * s(1 − s) = a/d², which never overflows and never forms 1 − s by cancellation. x is clamped to ±20
     * (f′ is exactly 0 or 1 in float beyond; ±40 in double).
     */
    static FloatVector geluDerivative(FloatVector x) {
        FloatVector xc = clampGelu(x);
        FloatVector x2 = xc.mul(xc);
        FloatVector q = x2.mul(F_K3_HI);
        FloatVector p = q.add(F_K1_HI);
        FloatVector plo = geluPTail(xc, x2, q, p);
        FloatVector v = p.mul(xc);
        FloatVector vlo = p.fma(xc, v.neg());
        vlo = plo.fma(xc, vlo);
        // a = e^−|v| never overflows; with d = 1 + a: s = 1/d or a/d by the sign of v, s(1 − s) = a/d²
        FloatVector a = expNeg(v.abs());
        FloatVector rd = FloatVector.broadcast(x.species(), 1f).div(a.add(1f));
        FloatVector ar = a.mul(rd);
        FloatVector ss = ar.mul(rd);
        FloatVector s0 = rd.blend(ar, v.compare(VectorOperators.LT, 0f));
        FloatVector s = ss.fma(vlo, s0);
        // the tail of v corrects s(1 − s) too: d/dv s(1 − s) = s(1 − s)(1 − 2s)
        ss = ss.mul(vlo).fma(s0.mul(-2f).add(1f), ss);
        FloatVector dv = x2.fma(3f * F_K3_HI, F_K1_HI);
        return xc.mul(dv).fma(ss, s);
    }

    static DoubleVector geluDerivative(DoubleVector x) {
        DoubleVector xc = clampGelu(x);
        DoubleVector x2 = xc.mul(xc);
        DoubleVector q = x2.mul(D_K3_HI);
        DoubleVector p = q.add(D_K1_HI);
        DoubleVector plo = geluPTail(xc, x2, q, p);
        DoubleVector v = p.mul(xc);
        DoubleVector vlo = p.fma(xc, v.neg());
        vlo = plo.fma(xc, vlo);
        // a = e^−|v| never overflows; with d = 1 + a: s = 1/d or a/d by the sign of v, s(1 − s) = a/d²
        DoubleVector a = expNeg(v.abs());
        DoubleVector rd = DoubleVector.broadcast(x.species(), 1.0).div(a.add(1.0));
        DoubleVector ar = a.mul(rd);
        DoubleVector ss = ar.mul(rd);
        DoubleVector s0 = rd.blend(ar, v.compare(VectorOperators.LT, 0.0));
        DoubleVector s = ss.fma(vlo, s0);
        // the tail of v corrects s(1 − s) too: d/dv s(1 − s) = s(1 − s)(1 − 2s)
        ss = ss.mul(vlo).fma(s0.mul(-2.0).add(1.0), ss);
        DoubleVector dv = x2.fma(3.0 * D_K3_HI, D_K1_HI);
        return xc.mul(dv).fma(ss, s);
    }

    /** SiLU x·σ(x) = x/(1 + e^−x), with silu(−∞) = 0. */
    static FloatVector silu(FloatVector x) {
        FloatVector y = x.div(expNeg(x).add(1f));
        return y.blend(0f, x.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
    }

    static DoubleVector silu(DoubleVector x) {
        DoubleVector y = x.div(exp(x.neg()).add(1.0));
        return y.blend(0.0, x.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
    }

    /**
     * d silu/dx = σ(1 + x(1 − σ)) = (1 + e + x·e)/(1 + e)², e = e^−x: no 1 − σ cancellation. x is clamped
     * to [−80, 200] so e stays finite (f′ is below 1e-33 in magnitude beyond −80, and 1 beyond 200).
     */
    static FloatVector siluDerivative(FloatVector x) {
        FloatVector xc = x.blend(F_SILU_CLAMP, x.compare(VectorOperators.GT, F_SILU_CLAMP))
                .blend(-80f, x.compare(VectorOperators.LT, -80f));
        FloatVector e = exp(xc.neg());
        FloatVector d = e.add(1f);
        // d² overflows float for x < −44.4 (d ≈ e^44): divide twice instead
        return xc.fma(e, d).div(d).div(d);
    }

    static DoubleVector siluDerivative(DoubleVector x) {
        DoubleVector xc = x.blend(D_SILU_CLAMP, x.compare(VectorOperators.GT, D_SILU_CLAMP))
                .blend(-700.0, x.compare(VectorOperators.LT, -700.0));
        DoubleVector e = exp(xc.neg());
        DoubleVector d = e.add(1.0);
        // d² overflows for x < −355: divide twice instead
        return xc.fma(e, d).div(d).div(d);
    }

    /** softplus = max(x, 0) + log1p(e^−|x|), never overflowing; NaN stays NaN. */
    static FloatVector softplus(FloatVector x) {
        FloatVector pos = x.blend(0f, x.compare(VectorOperators.LT, 0f));
        return pos.add(exp(x.abs().neg()).lanewise(VectorOperators.LOG1P));
    }

    static DoubleVector softplus(DoubleVector x) {
        DoubleVector pos = x.blend(0.0, x.compare(VectorOperators.LT, 0.0));
        return pos.add(exp(x.abs().neg()).lanewise(VectorOperators.LOG1P));
    }
}
