package dev.vecprop.properties;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Φ and φ, the standard normal CDF and density, in {@link BigDecimal}, for the exact-GELU reference
 * {@code x·Φ(x)}: nothing shared with the kernels' ScalarMath (all-positive erf series and a continued
 * fraction). {@code Φ(x) = ½·erfc(−x/√2)} with erf from the alternating Maclaurin series
 * {@code (2/√π) Σₙ (−1)ⁿ t^(2n+1) / (n!·(2n+1))}, π from Machin's formula. The terms grow to about e^(t²) and
 * erfc(t) is about e^(−t²), so the precision is raised by 0.87t² digits over 35; each result is rounded to
 * double once. The same method as kernels' test ErfReference (pinned to mpmath there, and by
 * {@link ElementwiseKernelsTest#erfReferenceAgreesWithMpmath} here). Results are memoised: the activation
 * properties ask for the same x several times.
 */
final class ErfReference {
    private ErfReference() {
    }

    /** Enough for |x| ≤ 38 (t ≤ 27, where Φ(x) underflows): 35 + 0.87·27² ≈ 670 digits. */
    private static final int MAX_DIGITS = 700;
    private static final BigDecimal PI;
    private static final BigDecimal TWO_OVER_SQRT_PI;
    private static final Map<Double, BigDecimal> CDF = new ConcurrentHashMap<>();
    private static final Map<Double, BigDecimal> PDF = new ConcurrentHashMap<>();

    static {
        MathContext mc = new MathContext(MAX_DIGITS + 10);
        // π = 16·atan(1/5) − 4·atan(1/239)
        PI = atanInverse(5, mc).multiply(BigDecimal.valueOf(16)).subtract(atanInverse(239, mc).multiply(BigDecimal.valueOf(4)), mc);
        TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(mc), mc);
    }

    /** atan(1/m) = Σₖ (−1)ᵏ / ((2k+1)·m^(2k+1)). */
    private static BigDecimal atanInverse(int m, MathContext mc) {
        BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(m), mc);
        BigDecimal m2 = BigDecimal.valueOf((long) m * m);
        BigDecimal sum = power;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int k = 1; power.compareTo(eps) > 0; k++) {
            power = power.divide(m2, mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
            sum = (k % 2 == 1) ? sum.subtract(term, mc) : sum.add(term, mc);
        }
        return sum;
    }

    private static MathContext context(double absT) {
        int digits = 35 + (int) Math.ceil(0.8686 * absT * absT);
        if (digits > MAX_DIGITS) {
            throw new IllegalArgumentException("|t| = " + absT + " needs more than " + MAX_DIGITS + " digits");
        }
        return new MathContext(digits, RoundingMode.HALF_EVEN);
    }

    /** erfc(t) = 1 − erf(t), erf by the alternating series, at the precision {@link #context} gives for t. */
    static BigDecimal erfc(BigDecimal t) {
        MathContext mc = context(Math.abs(t.doubleValue()));
        BigDecimal minusT2 = t.multiply(t, mc).negate();
        BigDecimal a = t; // (−1)ⁿ t^(2n+1) / n!
        BigDecimal sum = t;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        double t2 = t.doubleValue() * t.doubleValue();
        for (int n = 1; ; n++) {
            a = a.multiply(minusT2, mc).divide(BigDecimal.valueOf(n), mc);
            BigDecimal term = a.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (n > t2 && term.abs().compareTo(eps) < 0) { // past the largest term they shrink monotonically
                break;
            }
        }
        return BigDecimal.ONE.subtract(TWO_OVER_SQRT_PI.multiply(sum, mc));
    }

    /** Φ(x) = ½·erfc(−x/√2). */
    static BigDecimal cdf(double x) {
        return CDF.computeIfAbsent(x, v -> {
            MathContext mc = context(Math.abs(v) / Math.sqrt(2)); // only sizes the precision
            BigDecimal t = new BigDecimal(-v).divide(BigDecimal.valueOf(2).sqrt(mc), mc);
            return erfc(t).multiply(new BigDecimal("0.5"));
        });
    }

    /** φ(x) = 1/(e^(x²/2)·√(2π)), e^y by its all-positive Taylor series. */
    static BigDecimal pdf(double x) {
        return PDF.computeIfAbsent(x, v -> {
            MathContext mc = new MathContext(40);
            BigDecimal y = new BigDecimal(v).pow(2).multiply(new BigDecimal("0.5"));
            BigDecimal term = BigDecimal.ONE;
            BigDecimal exp = BigDecimal.ONE;
            for (int k = 1; term.compareTo(exp.ulp()) >= 0; k++) {
                term = term.multiply(y, mc).divide(BigDecimal.valueOf(k), mc);
                exp = exp.add(term, mc);
            }
            return BigDecimal.ONE.divide(exp.multiply(PI.multiply(BigDecimal.valueOf(2)).sqrt(mc), mc), mc);
        });
    }

    /** Exact GELU x·Φ(x), rounded once to double. */
    static double gelu(double x) {
        return new BigDecimal(x).multiply(cdf(x)).doubleValue();
    }

    /** Its derivative Φ(x) + x·φ(x), rounded once. */
    static double geluDerivative(double x) {
        return cdf(x).add(new BigDecimal(x).multiply(pdf(x))).doubleValue();
    }

    /** |Φ(x)| + |x·φ(x)|: the derivative is a difference of these (zero near x = −0.75). */
    static double geluDerivativeMagnitude(double x) {
        return cdf(x).add(new BigDecimal(x).multiply(pdf(x)).abs()).doubleValue();
    }
}
