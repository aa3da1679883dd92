package dev.vecprop.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every vector kernel uses, fixed once from {@link Vectorization#BITS}.
 *
 * <p>Only vector kernels touch this class, and they run only when {@link Vectorization#ENABLED}, so it
 * is never loaded on the scalar fallback. The fields are {@code static final} on purpose: the JIT
 * intrinsifies vector operations only when the species is a constant (a species in a non-final field
 * is ~10× slower, DESIGN.md §5).
 *
 * <p><b>Loop-carried vectors.</b> A vector carried around a loop (an accumulator) is re-typed with
 * {@code (FloatVector) acc.check(Species.F)} wherever it is the receiver of a Vector API call, in the loop and
 * after it: {@code ((FloatVector) acc.check(Species.F)).add(x)}, not {@code acc.add(x)}. It changes no value. Why:
 * C2 types a loop phi by the variable's declared class ({@code FloatVector}), not by the class of the vectors that
 * flow into it, so a call on it is dispatched by the type profile of the Vector API method it goes through. Those
 * methods, their profiles and their trap records are shared by every caller in the JVM; once another vector
 * class has been seen there and a class check has failed once (another width anywhere in the application, or
 * {@link #FH}), C2 compiles the call as a dispatch with a virtual-call fallback, for which the vector must exist
 * as an object: every vector flowing into the phi is then boxed, in every iteration, for the life of the JVM. In
 * CI the 128-bit GEMM micro-kernels boxed every FMA result that way (notes/polluted-profiles/).
 * {@code check} ({@code @ForceInline} in the JDK) compares the classes, which C2 folds, and returns the vector
 * with its exact class. It is written out at each use: a helper method of ours would not be inlined into a
 * kernel that has used up C2's inlining budget, and would box the vector itself. A loop-carried vector used only
 * as an argument ({@code x.fma(y, acc)}) needs nothing: the callee's own {@code check} does the same.
 */
final class Species {
    private Species() {
    }

    static final VectorSpecies<Float> F =
            FloatVector.SPECIES_PREFERRED.vectorBitSize() == Vectorization.BITS
                    ? FloatVector.SPECIES_PREFERRED
                    : VectorSpecies.of(float.class, VectorShape.forBitSize(Vectorization.BITS));
    static final VectorSpecies<Double> D =
            DoubleVector.SPECIES_PREFERRED.vectorBitSize() == Vectorization.BITS
                    ? DoubleVector.SPECIES_PREFERRED
                    : VectorSpecies.of(double.class, VectorShape.forBitSize(Vectorization.BITS));
    /**
     * Float vectors of half the width, {@code DL} lanes, each widened ({@code convertShape(F2D, D, 0)}) into one
     * whole double vector; or null where no vector shape has exactly that many float lanes (a preferred width
     * above 1024 bits, or one that is not a power of two, as SVE allows), and the kernels then widen a whole
     * float vector's two halves. Why half-width loads: widening the upper half of a whole vector
     * ({@code convertShape(F2D, D, 1)}) runs an int-vector shuffle written in Java inside the Vector API, whose
     * profile all callers share; after another kernel had fed it a vector of another class, C2 threw the
     * compiled squared norm (the per-layer gradient norms of every training step) away and compiled it again.
     * Two half-width loads read the same lanes, in the same order, with no shuffle.
     */
    static final VectorSpecies<Float> FH = halfWidthFloats();
    /** Float lanes per vector. */
    static final int FL = F.length();
    /** Double lanes per vector. */
    static final int DL = D.length();

    static {
        // Run the masked operations the kernels use at their edges once, on scratch arrays, before any kernel is
        // compiled. A Vector API call that has never run is not linked yet (its mask class not initialised, the
        // lambdas of its Java fallback not bound), and C2 compiles such a call as a trap. The kernels are compiled
        // early (the CLI compiles them at 1/100 of the usual thresholds), often before their first edge: a
        // partial last vector, a row tile at the border, a load that ends past the array (its mask checked lane
        // by lane). The first edge then threw the compiled kernel away and C2 compiled it again: the GEMM
        // packing's gatherRows and the float max, in the CLI's first training step. Results do not depend on
        // this; it only links code, once per JVM.
        VectorMask<Float> f = F.indexInRange(0, 1);
        float[] fs = new float[2 * FL];
        float[] f1 = new float[1];
        FloatVector.fromArray(F, fs, 0, f).blend(0, f.not()).intoArray(fs, FL, f.and(f).or(f));
        FloatVector.fromArray(F, f1, 0, f).intoArray(f1, 0, f);
        FloatVector.fromArray(F, fs, 0, new int[FL], 0).lanewise(VectorOperators.MAX, 1f, f).add(1f, f).intoArray(fs, 0);
        VectorMask<Double> d = D.indexInRange(0, 1);
        double[] ds = new double[2 * DL];
        double[] d1 = new double[1];
        DoubleVector.fromArray(D, ds, 0, d).blend(0, d.not()).intoArray(ds, DL, d.and(d).or(d));
        DoubleVector.fromArray(D, d1, 0, d).intoArray(d1, 0, d);
        DoubleVector.fromArray(D, ds, 0, new int[DL], 0).lanewise(VectorOperators.MAX, 1.0, d).add(1.0, d).intoArray(ds, 0);
    }

    private static VectorSpecies<Float> halfWidthFloats() {
        int bits = D.vectorBitSize() / 2;
        return bits == 64 || bits == 128 || bits == 256 || bits == 512
                ? VectorSpecies.of(float.class, VectorShape.forBitSize(bits)) : null;
    }
}
