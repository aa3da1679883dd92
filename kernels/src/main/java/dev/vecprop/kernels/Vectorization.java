package dev.vecprop.kernels;

import java.util.Locale;

/**
 * Which code path the kernels run: the Vector API at a given width, or the plain scalar fallback.
 *
 * <p>The choice is made once, when this class initialises, and never changes in a running JVM:
 * <ul>
 *   <li>{@code -Dvecprop.vectorBits=128|256|512} forces a species of that width (clamped to the
 *       machine's preferred width: a wider-than-hardware species is ~100× slower, never useful). This is
 *       how the AVX2- and NEON-width paths are tested on an AVX-512 machine.</li>
 *   <li>{@code -Dvecprop.vectorBits=scalar} forces the scalar path (the test oracle), silently.</li>
 *   <li>Without the property, the preferred species is used.</li>
 * </ul>
 * The scalar fallback is also taken, with one loud warning on stderr, when {@code jdk.incubator.vector}
 * is not resolved (a class-path launch without {@code --add-modules jdk.incubator.vector}), when the JIT
 * cannot compile vector code ({@code -Xint}, C1 only), or when the preferred width is below 128 bits.
 *
 * <p>Run {@code java -p vecprop-kernels.jar -m dev.vecprop.kernels} to print {@link #describe()}.
 *
 * <p>Thread-safe: all state is fixed at class initialisation.
 */
public final class Vectorization {

    /** System property that forces a vector width in bits, or {@code scalar}. */
    public static final String VECTOR_BITS_PROPERTY = "vecprop.vectorBits";

    /** True when the kernels take the Vector API path. Constant-folded by the JIT. */
    static final boolean ENABLED;
    /** Width in bits of the species the kernels use; 0 on the scalar path. */
    static final int BITS;
    /** Width in bits of the machine's preferred species, whatever was forced; 0 when the vector path is unavailable. */
    static final int HARDWARE_BITS;
    /** Why the current path was chosen, for {@link #describe()}. */
    private static final String REASON;

    static {
        String forced = System.getProperty(VECTOR_BITS_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        String unavailable = vectorUnavailableReason();
        int preferred = unavailable == null ? VectorProbe.preferredBits() : 0;
        int asked = parseBits(forced);
        boolean enabled;
        int bits;
        String reason;
        if (forced.equals("scalar")) {
            enabled = false;
            bits = 0;
            reason = "scalar path forced by -D" + VECTOR_BITS_PROPERTY + "=scalar";
        } else if (unavailable != null) {
            enabled = false;
            bits = 0;
            reason = unavailable;
            warnFallback(unavailable);
        } else if (preferred < 128) {
            enabled = false;
            bits = 0;
            reason = "the preferred vector width is " + preferred + " bits (< 128)";
            warnFallback(reason);
        } else if (forced.isEmpty()) {
            enabled = true;
            bits = preferred;
            reason = "preferred species of this machine";
        } else if (asked == 0) {
            // A typo must not kill every kernel class with an ExceptionInInitializerError: say so, carry on.
            enabled = true;
            bits = preferred;
            reason = "-D" + VECTOR_BITS_PROPERTY + "='" + forced + "' is not 128, 256, 512 or scalar; ignored";
            System.err.println("vecprop: WARNING: " + reason + ", using the preferred " + preferred + "-bit species.");
        } else {
            enabled = true;
            bits = Math.min(asked, preferred);
            reason = bits == asked
                    ? "forced by -D" + VECTOR_BITS_PROPERTY + "=" + asked
                    : "-D" + VECTOR_BITS_PROPERTY + "=" + asked + " is wider than the hardware; clamped to " + preferred;
        }
        ENABLED = enabled;
        BITS = bits;
        HARDWARE_BITS = preferred;
        REASON = reason;
    }

    private Vectorization() {
    }

    /** @return true when the kernels use the Vector API, false on the scalar fallback. */
    public static boolean isVectorized() {
        return ENABLED;
    }

    /** @return the vector width in bits the kernels use (128, 256 or 512), or 0 on the scalar path. */
    public static int vectorBits() {
        return BITS;
    }

    /** @return lanes of a float vector on the active path (1 on the scalar path). */
    public static int floatLanes() {
        return ENABLED ? BITS / Float.SIZE : 1;
    }

    /** @return lanes of a double vector on the active path (1 on the scalar path). */
    public static int doubleLanes() {
        return ENABLED ? BITS / Double.SIZE : 1;
    }

    /** @return one line saying which path is active and why, e.g. for logs and CI output. */
    public static String describe() {
        String path = ENABLED
                ? "Vector API, " + BITS + "-bit species (" + floatLanes() + " float / " + doubleLanes() + " double lanes)"
                : "scalar fallback";
        return "vecprop kernels: " + path + "; " + REASON + "; " + System.getProperty("java.vm.name")
                + " " + Runtime.version();
    }

    /** Prints {@link #describe()}. */
    public static void main(String[] args) {
        System.out.println(describe());
    }

    /** @return 128, 256 or 512, or 0 for anything else. */
    private static int parseBits(String s) {
        return switch (s) {
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> 0;
        };
    }

    /** @return null when the Vector API can run compiled here, else why not. */
    private static String vectorUnavailableReason() {
        Module self = Vectorization.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        if (layer.findModule("jdk.incubator.vector").isEmpty()) {
            // Class path without --add-modules: touching FloatVector would throw NoClassDefFoundError.
            return "module jdk.incubator.vector is not resolved";
        }
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint), so vector code cannot be compiled";
        }
        String vmName = System.getProperty("java.vm.name", "");
        if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
            return "the JVM is " + vmName + ", not HotSpot with C2";
        }
        String c1Only = c1OnlyFlag();
        if (c1Only != null) {
            return "the JIT is limited to C1 (" + c1Only + "), which does not intrinsify vectors";
        }
        return null;
    }

    /** @return the JVM flag that keeps C2 from running, or null. Best effort: needs java.management. */
    private static String c1OnlyFlag() {
        try {
            for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                    return arg;
                }
                if (arg.equals("-XX:-UseCompiler")) {
                    return arg;
                }
            }
        } catch (LinkageError | RuntimeException e) {
            // java.management absent (jlink'ed runtime): assume C2 is there.
        }
        return null;
    }

    private static void warnFallback(String why) {
        System.err.println("""
                vecprop: WARNING: running the SCALAR fallback, 10-100x slower than the vector kernels, because %s.
                vecprop: Fix: launch java with --add-modules jdk.incubator.vector (class path), or put vecprop on the \
                module path; do not use -Xint or -XX:TieredStopAtLevel<4.""".formatted(why));
    }
}
