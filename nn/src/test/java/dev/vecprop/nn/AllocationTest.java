package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A training step allocates nothing in nn after the first batch. Runs in its own JVM with
 * {@code -Dvecprop.vectorBits=scalar} (see nn/pom.xml): the scalar kernels allocate nothing even before the JIT
 * compiles them, while Vector API code allocates its vectors until C2 has compiled it (thousands of steps), which
 * would measure JIT warm-up instead of nn. The vector kernels' steady-state allocation is measured in bench/
 * (JMH {@code -prof gc}).
 */
class AllocationTest {

    @BeforeAll
    static void onlyWithScalarKernels() {
        assumeTrue("scalar".equals(System.getProperty("vecprop.vectorBits")),
                "runs in the scalar-kernel execution of nn/pom.xml only");
    }

    static Object sink;


    /** Bytes allocated per training step in steady state; {@code plantedBytes} are allocated in each step's callback. */
    private static long bytesPerStep(int plantedBytes, boolean byteInputs) throws Exception {
        // reflection: the test module does not read jdk.management (tests run on the class path)
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        Model m = new Model(new Sequential(new Linear(20, 64), Activation.relu(), new Dropout(0.1, 2), new LayerNorm(64),
                new Linear(64, 10)), DType.F32, 1);
        int n = 64 * 40;
        Dataset d = byteInputs
                ? Dataset.ofUnsignedBytes(DatasetBytesTest.randomBytes(1, n * 20), new int[] {n, 20}, 255f,
                        TrainingTest.randomLabels(2, n, 10))
                : Dataset.of(TrainingTest.randomInputs(DType.F32, 1, n, 20), TrainingTest.randomLabels(2, n, 10));
        long[] at = new long[41];
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).batchSize(64).clipGradNorm(5)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepStats s) {
                        if (plantedBytes > 0) {
                            sink = new byte[plantedBytes];
                        }
                        if (s.batch() == 10 || s.batch() == 39) { // only here: the reflective call boxes
                            try {
                                at[s.batch()] = (Long) allocated.invoke(bean);
                            } catch (ReflectiveOperationException e) {
                                throw new AssertionError(e);
                            }
                        }
                    }
                });
        t.fit(m, d); // warm-up epoch (JIT, workspaces)
        // Steady state: the fewest bytes per step over a few more epochs. Until the JIT has compiled the step's
        // code, objects it would scalar-replace (iterators, the listener's StepStats) are real allocations, and
        // when that happens depends on the compile queue (seen once: 66 B/step in the second epoch of a CI run).
        // A planted allocation happens in every epoch, so the minimum still sees it.
        long best = Long.MAX_VALUE;
        for (int epoch = 0; epoch < 5 && best > 0; epoch++) {
            t.fit(m, d);
            best = Math.min(best, (at[39] - at[10]) / 29); // 29 steps between the two readings
        }
        return best;
    }

    @Test
    void trainingStepsDoNotAllocateAfterWarmUp() throws Exception {
        long perStep = bytesPerStep(0, false);
        assertTrue(perStep < 64, "a training step allocated " + perStep + " B");
        long planted = bytesPerStep(1000, false);
        assertTrue(planted >= 1000, "the measurement must see a planted 1000-byte allocation, saw " + planted);
    }

    @Test
    void byteInputsAreConvertedWithoutAllocating() throws Exception {
        long perStep = bytesPerStep(0, true);
        assertTrue(perStep < 64, "a training step on byte inputs allocated " + perStep + " B");
        long planted = bytesPerStep(1000, true);
        assertTrue(planted >= 1000, "the measurement must see a planted 1000-byte allocation, saw " + planted);
    }
}
