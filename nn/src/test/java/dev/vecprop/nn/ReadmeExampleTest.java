package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training example of notes/nn-README.md, kept compiling and checked (file path from a temp dir). */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void xorExampleLearnsAndRoundTrips() throws Exception {
        Tensor x = Tensor.of(new float[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        int[] y = {0, 1, 1, 0};

        Model model = new Model(new Sequential(
                new Linear(2, 16), Activation.relu(),
                new Linear(16, 2)), DType.F32, /* seed */ 42);

        Trainer trainer = new Trainer(Loss.softmaxCrossEntropy(), new Adam(0.05))
                .epochs(200).batchSize(4).seed(7)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats e) {
                        if (e.epoch() % 50 == 0) {
                            System.out.printf("epoch %d  loss %.4f  accuracy %.2f%n", e.epoch(), e.loss(), e.accuracy());
                        }
                    }
                });
        trainer.fit(model, Dataset.of(x, y));
        Trainer.Evaluation eval = trainer.evaluate(model, Dataset.of(x, y));
        assertTrue(eval.loss() < 0.01, "loss " + eval.loss());
        assertEquals(1.0, eval.accuracy());

        Tensor logits = model.forward(x, new Context(), Mode.INFERENCE);
        assertTrue(logits.get(2, 1) > logits.get(2, 0), "(1,0) is class 1");

        Path file = dir.resolve("xor.safetensors");
        model.save(file);
        Model copy = new Model(new Sequential(new Linear(2, 16), Activation.relu(), new Linear(16, 2)), DType.F32, 0);
        copy.load(file);
        assertArrayEquals(model.values().floats(), copy.values().floats());
    }
}
