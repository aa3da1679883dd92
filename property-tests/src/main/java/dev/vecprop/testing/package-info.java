/**
 * Test support for code built on vecprop: check hand-written backward passes, and write seeded property
 * tests on JUnit Jupiter. Put {@code vecprop-property-tests} in your test scope.
 *
 * <ul>
 *   <li>{@link dev.vecprop.testing.GradientCheck}: float64 central differences against the analytic gradient
 *       of a layer, a loss, a model (optionally with its loss) or any function of tensors to a scalar; on
 *       failure the worst element with tensor, index, analytic and numeric values.</li>
 *   <li>{@link dev.vecprop.testing.BackwardContract}: backward accumulates, is linear in dy, and the batch
 *       equals row by row.</li>
 *   <li>{@link dev.vecprop.testing.Cases}, {@link dev.vecprop.testing.Case}, {@link dev.vecprop.testing.Rng},
 *       {@link dev.vecprop.testing.Shape}, {@link dev.vecprop.testing.Network}: seeded case generators (lane-
 *       boundary sizes, values in [−2, 2], small random networks) for {@code @MethodSource} and
 *       {@code @TestFactory}; {@code -Dvecprop.seed}, {@code -Dvecprop.cases}, {@code -Dvecprop.case};
 *       {@link dev.vecprop.testing.RerunHint} adds the replay flag to failures.</li>
 *   <li>{@link dev.vecprop.testing.Approx}: element-wise {@code |a − e| ≤ atol + rtol·|e|} with the worst
 *       element reported, and the float32 bound {@code max(1e-5, 4·√K·1.2e-7)}.</li>
 * </ul>
 */
package dev.vecprop.testing;
