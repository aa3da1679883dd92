package dev.vecprop.nn;

import java.util.List;

/**
 * Progress callbacks of the {@link Trainer}: after every step and every epoch, and when a loss or gradient is
 * not finite. All methods have defaults that do nothing (or stop, for non-finite values). Called on the
 * training thread.
 */
public interface TrainingListener {

    /** After each optimizer step. {@code s} is reused by the next step: copy what you keep. */
    default void onStep(StepStats s) {
    }

    /** After each epoch (with the validation result when the trainer has a validation set). */
    default void onEpoch(EpochStats e) {
    }

    /**
     * A batch gave a NaN/Inf loss or gradient norm; nothing was updated yet. Return {@link Action#STOP}
     * (the default: {@link Trainer#fit} throws {@link NonFiniteLossException}) or {@link Action#SKIP_BATCH}
     * to drop this batch and go on.
     */
    default Action onNonFinite(StepStats s) {
        return Action.STOP;
    }

    /** What the trainer does after a non-finite loss or gradient. */
    enum Action {
        /** Stop training; the weights stay as before the bad step. */
        STOP,
        /** Skip the bad batch (no update) and continue. */
        SKIP_BATCH
    }

    /**
     * Figures of one training step. One instance is reused for every step (no allocation per step).
     */
    final class StepStats {
        int epoch;
        long step;
        int batch;
        int batches;
        int rows;
        double loss;
        double accuracy;
        double samplesPerSecond;
        double learningRate;
        double gradNorm;
        final double[] paramGradNorms;
        final List<Parameter> parameters;

        StepStats(List<Parameter> parameters) {
            this.parameters = parameters;
            this.paramGradNorms = new double[parameters.size()];
        }

        /** @return epoch, from 0 */
        public int epoch() {
            return epoch;
        }

        /** @return step over the trainer's life, from 0 (also the Dropout step) */
        public long step() {
            return step;
        }

        /** @return batch within the epoch, from 0 */
        public int batch() {
            return batch;
        }

        /** @return batches per epoch */
        public int batches() {
            return batches;
        }

        /** @return examples in this batch */
        public int rows() {
            return rows;
        }

        /** @return mean loss of this batch (before the update) */
        public double loss() {
            return loss;
        }

        /** @return fraction of correct predictions in this batch, or NaN when the loss has no notion of it (MSE) */
        public double accuracy() {
            return accuracy;
        }

        /** @return examples per second of this step (forward, backward and update) */
        public double samplesPerSecond() {
            return samplesPerSecond;
        }

        /** @return learning rate used by this step */
        public double learningRate() {
            return learningRate;
        }

        /** @return global L2 norm of all gradients, before clipping */
        public double gradNorm() {
            return gradNorm;
        }

        /** @return the parameters, in the order of {@link #paramGradNorm(int)} */
        public List<Parameter> parameters() {
            return parameters;
        }

        /**
         * L2 norm of parameter {@code i}'s gradient before clipping — vanishing or exploding gradients show here,
         * layer by layer.
         */
        public double paramGradNorm(int i) {
            return paramGradNorms[i];
        }
    }

    /**
     * Figures of one epoch.
     *
     * @param epoch            epoch, from 0
     * @param loss             mean training loss over the epoch's examples (each at the weights of its step)
     * @param accuracy         training accuracy over the epoch, or NaN
     * @param samplesPerSecond training throughput of the epoch
     * @param seconds          wall time of the epoch's training steps
     * @param validation       result on the validation set, or null when there is none
     */
    record EpochStats(int epoch, double loss, double accuracy, double samplesPerSecond, double seconds,
                      Trainer.Evaluation validation) {
    }
}
