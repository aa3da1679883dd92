package dev.vecprop.kernels;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * erf, erfc, Φ and φ in {@link BigDecimal}, by a method that shares nothing with {@link ScalarMath}: the
 * alternating Maclaurin series {@code erf(x) = (2/√π) Σₙ (−1)ⁿ x^(2n+1) / (n!·(2n+1))}, erfc as {@code 1 − erf},
 * and π from Machin's formula. The series' terms grow to about e^(x²) before they shrink, and erfc(x) is about
 * e^(−x²), so the working precision is raised with x² until both the cancellation and the final subtraction are
 * covered with 25+ digits to spare; {@link BigDecimal#doubleValue} then rounds once (correctly, since JDK 19).
 * Slow (a millisecond at x = 3, 0.15 s at x = 26): a test oracle only. Public for property-tests' exact-GELU
 * reference, which reads it from this module's test jar.
 */
public final class ErfReference {
    private ErfReference() {
    }

    /** Enough for erfc at |x| ≤ 27.3 (where the double result underflows to 0): 35 + 0.87·27.3² ≈ 685 digits. */
    private static final int MAX_DIGITS = 720;

    /** π to MAX_DIGITS + 10 digits: 16·atan(1/5) − 4·atan(1/239) (Machin). */
    private static final BigDecimal PI;
    /** 2/√π, the factor of the erf series, to the same precision. */
    private static final BigDecimal TWO_OVER_SQRT_PI;

    static {
        MathContext mc = new MathContext(MAX_DIGITS + 10);
        PI = atanInverse(5, mc).multiply(BigDecimal.valueOf(16)).subtract(atanInverse(239, mc).multiply(BigDecimal.valueOf(4)), mc);
        TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(mc), mc);
    }

    /** atan(1/m) = Σₖ (−1)ᵏ / ((2k+1)·m^(2k+1)), for an integer m ≥ 2. */
    private static BigDecimal atanInverse(int m, MathContext mc) {
        BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(m), mc); // 1/m^(2k+1)
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

    static BigDecimal pi() {
        return PI;
    }

    /**
     * Digits to carry for erf/erfc at |x|: the largest term is below |x|·e^(x²) and erfc(|x|) above
     * e^(−x²)/(2|x|+1), so the cancellation costs 2x²·log₁₀e ≈ 0.87x² digits, plus ~7 for the term count and
     * 25 of margin.
     */
    private static MathContext context(double absX) {
        int digits = 35 + (int) Math.ceil(0.8686 * absX * absX);
        if (digits > MAX_DIGITS) {
            throw new IllegalArgumentException("|x| = " + absX + " needs more than " + MAX_DIGITS + " digits");
        }
        return new MathContext(digits, RoundingMode.HALF_EVEN);
    }

    /** Results already computed (tests ask for the same points again): erf by argument, Φ by x. */
    private static final Map<BigDecimal, BigDecimal> ERF_MEMO = new ConcurrentHashMap<>();
    private static final Map<Double, BigDecimal> CDF_MEMO = new ConcurrentHashMap<>();

    /** erf(x) for x = the exact value of the argument, |x| ≤ 27.3. */
    static BigDecimal erf(BigDecimal x) {
        return ERF_MEMO.computeIfAbsent(x, ErfReference::erfSeries);
    }

    private static BigDecimal erfSeries(BigDecimal x) {
        MathContext mc = context(Math.abs(x.doubleValue()));
        BigDecimal minusX2 = x.multiply(x, mc).negate();
        BigDecimal a = x; // (−1)ⁿ x^(2n+1) / n!
        BigDecimal sum = x;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        // past the largest term (n ≈ x²) the terms shrink monotonically; stop when one is below eps
        for (int n = 1; ; n++) {
            a = a.multiply(minusX2, mc).divide(BigDecimal.valueOf(n), mc);
            BigDecimal term = a.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (n > x.doubleValue() * x.doubleValue() && term.abs().compareTo(eps) < 0) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI.multiply(sum, mc);
    }

    /** erfc(x) = 1 − erf(x), the subtraction done at the raised precision of {@link #context}. */
    static BigDecimal erfc(BigDecimal x) {
        return BigDecimal.ONE.subtract(erf(x));
    }

    /** e^y for y ≥ 0 by its Taylor series (all terms positive: no cancellation), to {@code mc}. */
    static BigDecimal exp(BigDecimal y, MathContext mc) {
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; ; k++) {
            term = term.multiply(y, mc).divide(BigDecimal.valueOf(k), mc);
            sum = sum.add(term, mc);
            if (term.compareTo(sum.ulp()) < 0) {
                return sum;
            }
        }
    }

    /** Φ(x) = ½·erfc(−x/√2), the standard normal CDF, with x/√2 formed at the working precision. */
    static BigDecimal cdf(double x) {
        return CDF_MEMO.computeIfAbsent(x, ErfReference::cdfUncached);
    }

    private static BigDecimal cdfUncached(double x) {
        MathContext mc = context(Math.abs(x) / Math.sqrt(2)); // only sizes the precision
        BigDecimal t = new BigDecimal(-x).divide(BigDecimal.valueOf(2).sqrt(mc), mc);
        return erfc(t).multiply(new BigDecimal("0.5"));
    }

    /** φ(x) = e^(−x²/2)/√(2π), the standard normal density. */
    static BigDecimal pdf(double x) {
        MathContext mc = new MathContext(40);
        BigDecimal half = new BigDecimal(x).pow(2).multiply(new BigDecimal("0.5"));
        BigDecimal norm = PI.multiply(BigDecimal.valueOf(2)).sqrt(mc);
        return BigDecimal.ONE.divide(exp(half, mc).multiply(norm, mc), mc);
    }

    /** Exact GELU x·Φ(x). */
    public static BigDecimal gelu(double x) {
        return new BigDecimal(x).multiply(cdf(x));
    }

    /** Its derivative Φ(x) + x·φ(x). */
    public static BigDecimal geluDerivative(double x) {
        return cdf(x).add(new BigDecimal(x).multiply(pdf(x)));
    }

    /** |Φ(x)| + |x·φ(x)|: the magnitude the derivative is a difference of (it has a zero near x = −0.75). */
    public static double geluDerivativeMagnitude(double x) {
        return cdf(x).add(new BigDecimal(x).multiply(pdf(x)).abs()).doubleValue();
    }

}
