package dev.vecprop.kernels;

import java.lang.reflect.Method;

/**
 * Bytes the calling thread has allocated so far ({@code com.sun.management.ThreadMXBean}), for the allocation
 * tests. By reflection: the tests run on the class path and do not read the jdk.management module.
 */
final class ThreadAllocation {
    private ThreadAllocation() {
    }

    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long bytes() {
        try {
            return (Long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("ThreadMXBean.getCurrentThreadAllocatedBytes", e);
        }
    }
}
