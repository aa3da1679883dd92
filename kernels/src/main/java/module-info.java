/**
 * vecprop kernels: hand-vectorized numeric kernels on the Java Vector API.
 *
 * <p>Depends on the JDK only. {@code jdk.incubator.vector} is required here, so on the module path it is
 * resolved automatically; class-path users add {@code --add-modules jdk.incubator.vector} to their
 * {@code java} command, or the kernels run their (much slower) scalar fallback and say so on stderr.
 */
module dev.vecprop.kernels {
    requires jdk.incubator.vector;
    requires static java.management; // only to detect a JIT that cannot compile vectors (-Xint, C1 only)

    exports dev.vecprop.kernels;
}
