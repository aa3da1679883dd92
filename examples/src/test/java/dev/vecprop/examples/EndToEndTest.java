package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end through the CLI entry point, on a slice of the embedded data: train learns, the
 * saved model evaluates to the same accuracy, predict classifies, and broken model files are refused.
 */
class EndToEndTest {
    @TempDir
    static Path dir;
    static Path model;
    static CliTest.Run train;

    @BeforeAll
    static void trainOnce() {
        System.setProperty("java.awt.headless", "true");
        model = dir.resolve("out/model.safetensors");
        train = CliTest.run("train", "--data", "embedded", "--limit", "1000", "--epochs", "2", "--batch", "32",
                "--hidden", "32", "--threads", "1", "--json", "--out", model.toString(), "--plot",
                dir.resolve("curve.png").toString());
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainLearnsAndReportsOneJsonObject() {
        assertEquals(0, train.code(), train.err());
        // stdout is exactly one JSON object; the human log went to stderr
        String json = train.out().strip();
        assertEquals(1, train.out().lines().count(), train.out());
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : new String[] {"epochs", "train_loss", "test_accuracy", "samples_per_s", "seconds", "threads"}) {
            assertTrue(number(json, key) >= 0, key);
        }
        assertTrue(json.contains("\"dataset\":\"embedded\""), json);
        assertEquals(2, number(json, "epochs"));
        assertEquals(1, number(json, "threads"));
        // chance is 10% and an untrained net's loss is about ln 10 = 2.30
        assertTrue(number(json, "test_accuracy") > 0.6, json);
        assertTrue(number(json, "train_loss") < 0.8 * Math.log(10), json);

        List<Double> losses = new ArrayList<>();
        Matcher m = Pattern.compile("epoch \\d/2 +loss ([0-9.]+) +test accuracy").matcher(train.err());
        while (m.find()) {
            losses.add(Double.parseDouble(m.group(1)));
        }
        assertEquals(2, losses.size(), train.err());
        assertTrue(losses.get(1) < losses.get(0), "the loss fell: " + losses);
        assertTrue(train.err().contains("model saved to " + model.toAbsolutePath().normalize()), train.err());
        assertTrue(Files.isRegularFile(model));
        assertTrue(Files.isRegularFile(dir.resolve("curve.png")));
    }

    @Test
    void evalOfTheSavedModelMatchesTraining() {
        CliTest.Run r = CliTest.run("eval", "--model", model.toString(), "--data", "embedded");
        assertEquals(0, r.code(), r.err());
        double trained = number(train.out(), "test_accuracy");
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "test accuracy %.2f%%", 100 * trained)),
                "eval reproduces the training run's accuracy " + trained + ":\n" + r.out());
        assertTrue(r.out().contains("confusion matrix"), r.out());
        assertTrue(r.out().contains("9 Ankle boot"), r.out());
    }

    @Test
    void predictDrawsAndClassifies() {
        CliTest.Run r = CliTest.run("predict", "--model", model.toString(), "--data", "embedded", "--index", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test image 7 (embedded): predicted "), r.out());
        assertEquals(28 + 2, r.out().lines().count(), r.out());
        assertTrue(r.out().lines().limit(28).allMatch(l -> l.length() == 56), r.out());

        CliTest.Run bad = CliTest.run("predict", "--model", model.toString(), "--data", "embedded", "--index", "2000");
        assertEquals(Main.EXIT_FAILURE, bad.code());
        bad.assertOneLineError();
        assertTrue(bad.err().contains("--index 2000 is outside the test set: 0..1999"), bad.err());
    }

    @Test
    void truncatedModelIsRefusedInOneLine() throws IOException {
        Path cut = dir.resolve("cut.safetensors");
        byte[] all = Files.readAllBytes(model);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        CliTest.Run r = CliTest.run("eval", "--model", cut.toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("cut.safetensors: cannot load the model"), r.err());
    }

    @Test
    void architectureIsStoredInTheFileMetadataWithNoSideFile() throws IOException {
        assertEquals("784-32-10 relu", dev.vecprop.nn.Model.readMetadata(model).get(ModelFile.ARCH_KEY));
        assertFalse(Files.exists(Path.of(model + ".arch")), "no side file any more");
    }

    @Test
    void olderFilesWithTheArchitectureInASideFileStillLoad() throws IOException {
        Path old = dir.resolve("old.safetensors");
        ModelFile.Loaded trained = ModelFile.load(model);
        trained.model().save(old); // no architecture in the metadata, as older versions wrote it
        CliTest.Run r = CliTest.run("eval", "--model", old.toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        assertTrue(r.err().contains("no architecture"), r.err());
        Files.writeString(Path.of(old + ".arch"), "784-32-10 relu\n");
        ModelFile.Loaded back = ModelFile.load(old);
        assertEquals("784-32-10 relu", back.mlp().describe());
        assertArrayEquals(trained.model().values().floats(), back.model().values().floats());
    }

    @Test
    void architectureThatDoesNotMatchTheWeightsIsRefused() throws IOException {
        Path other = dir.resolve("other.safetensors");
        // the trained weights (784-32-10) under a metadata entry claiming 784-16-10
        ModelFile.load(model).model().save(other, Map.of(ModelFile.ARCH_KEY, "784-16-10 relu"));
        CliTest.Run r = CliTest.run("eval", "--model", other.toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("expects tensor '0.weight' of shape [16, 784], but the file has [32, 784]"), r.err());

        ModelFile.load(model).model().save(other); // no architecture anywhere
        r = CliTest.run("eval", "--model", other.toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("no architecture"), r.err());
    }

    @Test
    void gradientsVanishThroughSigmoidsAndRecoverWithResidualAndLayerNorm() {
        Map<Boolean, Double> ratio = new java.util.HashMap<>();
        for (boolean fixed : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("gradients", "--data", "embedded", "--depth", "20",
                    "--steps", "5", "--activation", "sigmoid"));
            if (fixed) {
                args.add("--residual");
                args.add("--layernorm");
            }
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertEquals(22, r.out().lines().filter(l -> l.matches("\\d+ +(input|hidden|output).*")).count(), r.out());
            Matcher m = Pattern.compile("first/last layer gradient ratio at init: ([0-9.e+-]+)").matcher(r.out());
            assertTrue(m.find(), r.out());
            ratio.put(fixed, Double.parseDouble(m.group(1)));
        }
        assertTrue(ratio.get(false) < 1e-6, "20 sigmoid layers: the input layer gets almost nothing: " + ratio);
        assertTrue(ratio.get(true) > 1e-2, "residual + layer norm: it gets a fair share: " + ratio);
    }

    @Test
    void aWarmUpWhileTheDataLoadChangesNoWeight() throws IOException {
        byte[][] models = new byte[2][];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("warm-" + i + ".safetensors");
            CliTest.Run r = CliTest.run("train", "--data", "embedded", "--limit", "300", "--epochs", "1", "--batch", "32",
                    "--hidden", "32", "--threads", "2", i == 0 ? "--no-warm-up" : "--warm-up", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().matches("(?s).*start-up: data loaded [0-9.]+ s after the launch, first step done [0-9.]+ s later"
                    + (i == 1 ? " \\(with --warm-up\\)" : "") + "\\R.*"), r.out());
            models[i] = Files.readAllBytes(out);
        }
        assertArrayEquals(models[0], models[1]);
    }
}
