package dev.vecprop.nn;

/** Element type of a tensor: F32 is the fast path, F64 the one gradient checks use. */
public enum DType {
    /** 32-bit IEEE float, stored in {@code float[]}. */
    F32(4),
    /** 64-bit IEEE float, stored in {@code double[]}. */
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }
}
