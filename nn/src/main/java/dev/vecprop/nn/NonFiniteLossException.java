package dev.vecprop.nn;

/**
 * Training stopped because a batch gave a NaN or infinite loss or gradient norm. The update of that step was
 * not applied: the model holds the weights from before it.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final long step;

    NonFiniteLossException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** @return the training step (counted from 0 over the trainer's life) whose update was refused */
    public long step() {
        return step;
    }
}
