package dev.vecprop.kernels;

/**
 * Scalar float64 formulas of the activations and their derivatives: the scalar fallback of both the float
 * and the double kernels (float kernels evaluate these in double and round once), and the oracle the vector
 * paths are tested against.
 *
 * <p>Every function propagates NaN and returns the mathematical limit at ±∞ (the products {@code x·σ(…)}
 * would give {@code −∞·0 = NaN} there, so infinities are handled explicitly).
 */
final class ScalarMath {
    private ScalarMath() {
    }

    /** √(2/π), the GELU tanh-form constant. */
    static final double SQRT_2_OVER_PI = 0.7978845608028654;
    /** The cubic coefficient of the GELU tanh form. */
    static final double GELU_A = 0.044715;
    /** 1/√2. */
    static final double SQRT_HALF = 0.7071067811865476;
    /** 1/√(2π), the normal density at 0. */
    static final double INV_SQRT_2PI = 0.3989422804014327;
    /** 1/√π. */
    static final double INV_SQRT_PI = 0.5641895835477563;

    /** σ(x) = 1/(1 + e^−x). Relative error a few ulp for all x (e^−x overflows to ∞ → 0). */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static double relu(double x) {
        return x < 0 ? 0.0 : x; // NaN is not < 0, so it passes through
    }

    static double leakyRelu(double x, double alpha) {
        return x < 0 ? alpha * x : x;
    }

    /** 2√(2/π) as a double-double (head + tail), for the GELU argument v = 2u. */
    static final double K1_HI = 1.5957691216057308;
    static final double K1_LO = -9.96930880911092e-17;
    /** 2√(2/π)·0.044715 as a double-double. */
    static final double K3_HI = 0.07135481627260025;
    static final double K3_LO = -6.175149918155315e-19;
    /** 1/√2 as a double-double. */
    static final double SQRT_HALF_LO = -4.833646656726457e-17;

    /**
     * GELU, tanh approximation: {@code 0.5·x·(1 + tanh(u))}, {@code u = √(2/π)(x + 0.044715x³)}, evaluated
     * as {@code x·σ(2u)} (the same function: {@code (1 + tanh u)/2 = σ(2u)}) because {@code 1 + tanh u}
     * cancels to 0 in the negative tail. In that tail σ(2u) ≈ e^(2u) has relative condition number |2u|,
     * so v = 2u is formed in double-double and its tail applied as a first-order correction
     * {@code σ(v + δ) ≈ σ(v)(1 + (1 − σ(v))δ)}.
     */
    static double gelu(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        return x * sigmoidOfGeluArgument(x);
    }

    /** σ(2u(x)) of the GELU tanh form, with 2u(x) in double-double (see {@link #gelu}). */
    static double sigmoidOfGeluArgument(double x) {
        double x2 = x * x;
        double x2Lo = Math.fma(x, x, -x2);
        double x3 = x2 * x;
        double x3Lo = Math.fma(x2, x, -x3) + x2Lo * x;
        double p1 = K1_HI * x;
        double p1Lo = Math.fma(K1_HI, x, -p1) + K1_LO * x;
        double p3 = K3_HI * x3;
        double p3Lo = Math.fma(K3_HI, x3, -p3) + (K3_HI * x3Lo + K3_LO * x3);
        double v = p1 + p3;
        double bv = v - p1;
        double vLo = (p1 - (v - bv)) + (p3 - bv) + p1Lo + p3Lo; // two-sum error plus the product tails
        double s = sigmoid(v);
        if (Double.isNaN(vLo) || Double.isInfinite(v)) {
            return s; // |x| so large that x³ overflows: σ is exactly 0 or 1 there
        }
        return s * (1 + (1 - s) * vLo);
    }

    /** d/dx of {@link #gelu}: {@code s + x·2s(1−s)·√(2/π)(1 + 3·0.044715x²)}, s = σ(2u). */
    static double geluDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0;
        }
        double s = sigmoidOfGeluArgument(x);
        if (s == 0.0 || s == 1.0) {
            return s; // the second term is 0·∞ in floating point but vanishes in the limit
        }
        double oneMinusS = 1 - s; // exact for s ≥ 1/2 (Sterbenz); for s < 1/2 a relative error of 2⁻⁵³
        return s + x * s * oneMinusS * (K1_HI + 3 * K3_HI * x * x);
    }

    /** Exact GELU: {@code x·Φ(x) = 0.5·x·erfc(−x/√2)} (erfc form: no cancellation in the negative tail). */
    static double geluErf(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        return 0.5 * x * erfcScaled(-x, SQRT_HALF, SQRT_HALF_LO);
    }

    /** d/dx of {@link #geluErf}: {@code Φ(x) + x·φ(x)}. */
    static double geluErfDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0;
        }
        double cdf = 0.5 * erfcScaled(-x, SQRT_HALF, SQRT_HALF_LO);
        return cdf + x * INV_SQRT_2PI * expMinusSquareHalf(x);
    }

    /** SiLU/swish: {@code x·σ(x)}. */
    static double silu(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        return x * sigmoid(x);
    }

    /** d/dx of SiLU: {@code σ(x)(1 + x(1 − σ(x)))}. */
    static double siluDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0;
        }
        return sigmoid(x) * (1 + x * sigmoid(-x)); // σ(−x) = 1 − σ(x) without the cancellation
    }

    /** softplus: {@code log(1 + e^x) = max(x, 0) + log1p(e^−|x|)}; never overflows. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** e^(−x²/2), with x² split into an exact head and tail so large |x| keeps full relative accuracy. */
    static double expMinusSquareHalf(double x) {
        double hi = x * x;
        double lo = Math.fma(x, x, -hi);
        return Math.exp(-0.5 * hi) * (1 - 0.5 * lo);
    }

    /**
     * erfc(c·x) for a constant c = cHi + cLo, computing the product c·x in double-double so the result keeps its relative
     * accuracy far into the tail (erfc's relative condition number is 2t², ~1300 at t = 26).
     */
    static double erfcScaled(double x, double c, double cLo) {
        double t = c * x;
        double e = erfc(t);
        if (!Double.isFinite(t)) {
            return e;
        }
        double tLo = Math.fma(c, x, -t) + cLo * x; // the product's rounding error plus c's own tail
        // erfc(t + δ) ≈ erfc(t)·(1 − 2t·δ·erfc'/…) ; d/dt erfc = −2/√π e^−t², relative: −2/√π e^−t²/erfc(t)
        if (e == 0.0 || tLo == 0.0) {
            return e;
        }
        double dlog = -2 * INV_SQRT_PI * expMinusSquare(t) / e;
        return e * (1 + dlog * tLo);
    }

    /** e^(−t²) with t² split into an exact head and tail. */
    static double expMinusSquare(double t) {
        double hi = t * t;
        double lo = Math.fma(t, t, -hi);
        return Math.exp(-hi) * (1 - lo);
    }

    /** erf(x), relative error below 2e-15. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < 1.5 ? erfSeries(a) : a > 6.5 ? 1.0 : 1 - erfcFraction(a); // erf(6.5) rounds to 1
        return Math.copySign(r, x);
    }

    /**
     * erfc(x), relative error below 4e-15 for all x (0 beyond x ≈ 27.3, where it underflows). Up to x = 1 it is
     * {@code 1 − erf(x)}, which turns erf's error of a few ulp of 1 into a relative error of erfc multiplied by
     * erf(x)/erfc(x): 5.4 at x = 1, but 28 at x = 1.5 (1.6e-14 measured there, above the double kernels'
     * 1e-14). On [1, 1.5) it is erfc's Taylor polynomial about 1.25 ({@link #ERFC_TAYLOR}); from 1.5 on the
     * continued fraction (~90 steps at 1.5, which would need ~190 at 1: 13× slower than the polynomial).
     */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 1 + erf(-x); // in [1, 2]: no cancellation
        }
        if (x < 1.0) {
            return 1 - erfSeries(x); // erf(1) = 0.843, erfc(1) = 0.157: the subtraction costs a factor ≤ 5.4
        }
        if (x < 1.5) {
            double h = x - 1.25; // exact: x and 1.25 are within a factor 2
            double p = ERFC_TAYLOR[ERFC_TAYLOR.length - 1];
            for (int n = ERFC_TAYLOR.length - 2; n >= 0; n--) {
                p = Math.fma(p, h, ERFC_TAYLOR[n]);
            }
            return p;
        }
        if (x > 27.3) {
            return 0.0;
        }
        return erfcFraction(x);
    }

    /**
     * erfc(1.25 + h) = Σ c_n hⁿ, c_n = erfc⁽ⁿ⁾(1.25)/n!, for |h| ≤ 0.25: the terms past n = 22 are below 4e-24
     * (erfc's derivatives are Hermite polynomials times e^−x², so c_n shrinks like 2^(n/2)/√(n!)), and c₀ =
     * 0.0771 dominates, so the sum is accurate to a few ulp. The coefficients are mathematical constants,
     * computed with mpmath at 40 digits and rounded to double:
     * {@code python3 -c "import mpmath; mpmath.mp.dps=40; print([repr(float(v)) for v in mpmath.taylor(mpmath.erfc, mpmath.mpf('1.25'), 22)])"}
     */
    private static final double[] ERFC_TAYLOR = {
        0.07709987174354177, -0.2365211224472908, 0.29565140305911347, -0.16753579506683097,
        0.006159404230398197, 0.04718103640485019, -0.021301272963460433, -0.0036259826094427483,
        0.005697678057620952, -0.0008776361752808411, -0.0007935114997568478, 0.00032395671499069396,
        5.2738032824946004e-05, -5.5828132785536196e-05, 3.0148435589627603e-06, 6.409580608858307e-06,
        -1.353228718679766e-06, -5.079348144064654e-07, 2.120606163726382e-07, 2.2593730856874577e-08,
        -2.291416948714873e-08, 6.83682623324292e-10, 1.906219570912173e-09};

    /**
     * erf(x) for 0 ≤ x < 1.5 by the all-positive series {@code (2/√π)e^−x² Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1))},
     * which has no cancellation.
     */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return 2 * INV_SQRT_PI * expMinusSquare(x) * sum;
    }

    /**
     * erfc(x) for x ≥ 1.5 by the Laplace continued fraction
     * {@code e^−x²/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))}, evaluated with the modified Lentz method.
     */
    private static double erfcFraction(double x) {
        double tiny = 1e-300;
        double f = x;
        double c = f;
        double d = 0;
        for (int k = 1; k < 5000; k++) {
            double a = 0.5 * k;
            d = x + a * d;
            if (d == 0) {
                d = tiny;
            }
            d = 1 / d;
            c = x + a / c;
            if (c == 0) {
                c = tiny;
            }
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return INV_SQRT_PI * expMinusSquare(x) / f;
    }

    /** f(z) of an enum-selected activation ({@link Activation#LEAKY_RELU} with its default slope). */
    static double apply(Activation act, double z) {
        return apply(act, z, Activation.LEAKY_RELU_ALPHA);
    }

    /** f(z), with {@code alpha} the slope of {@link Activation#LEAKY_RELU} (ignored by the others). */
    static double apply(Activation act, double z, double alpha) {
        return switch (act) {
            case IDENTITY -> z;
            case RELU -> relu(z);
            case LEAKY_RELU -> leakyRelu(z, alpha);
            case SIGMOID -> sigmoid(z);
            case TANH -> Math.tanh(z);
            case GELU -> gelu(z);
            case GELU_ERF -> geluErf(z);
            case SILU -> silu(z);
            case SOFTPLUS -> softplus(z);
        };
    }

    /** f′ from the cached tensor: the output y when {@link Activation#backwardUsesOutput()}, else the input z. */
    static double derivative(Activation act, double cached) {
        return derivative(act, cached, Activation.LEAKY_RELU_ALPHA);
    }

    /** f′ from the cached tensor, with {@code alpha} the slope of {@link Activation#LEAKY_RELU}. */
    static double derivative(Activation act, double cached, double alpha) {
        return switch (act) {
            case IDENTITY -> 1.0;
            // NaN never silently becomes a 0 gradient: f′(NaN) = NaN
            case RELU -> cached > 0 ? 1.0 : cached <= 0 ? 0.0 : Double.NaN;
            case LEAKY_RELU -> cached > 0 ? 1.0 : cached <= 0 ? alpha : Double.NaN;
            case SIGMOID -> cached * (1 - cached);
            case TANH -> Math.fma(-cached, cached, 1.0); // one rounding: no cancellation error near ±1
            case GELU -> geluDerivative(cached);
            case GELU_ERF -> geluErfDerivative(cached);
            case SILU -> siluDerivative(cached);
            case SOFTPLUS -> sigmoid(cached);
        };
    }
}
