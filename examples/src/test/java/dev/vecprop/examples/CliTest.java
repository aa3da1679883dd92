package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through its testable entry point: exit codes, one-line messages, no stack traces. */
class CliTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one command. */
    record Run(int code, String out, String err) {
        /** stderr is one line (plus the newline), and has no stack trace. */
        void assertOneLineError() {
            assertEquals(1, err.lines().count(), "one line on stderr: " + err);
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("train", "--frobnicate");
        assertEquals(Main.EXIT_USAGE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
        assertTrue(r.err().contains("./vecprop train --help"), r.err());
    }

    @Test
    void badValuesAreUsageErrors() {
        for (String[] args : new String[][] {{"train", "--epochs", "0"}, {"train", "--lr", "-1"},
            {"train", "--hidden", "256,0"}, {"train", "--activation", "swish"}, {"train", "--optimizer", "lbfgs"},
            {"train", "--batch", "many"}, {"gradients", "--depth", "0"}, {"eval"}, {"nonsense"}}) {
            Run r = run(args);
            assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            r.assertOneLineError();
        }
    }

    @Test
    void missingDataIsOneLine() {
        Run r = run("train", "--data", dir.resolve("nowhere").toString(), "--out", dir.resolve("m.safetensors").toString());
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("nowhere: --data: no such directory"), r.err());
    }

    @Test
    void corruptDataIsOneLineNamingTheFile() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            Files.write(data.resolve(f), new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2});
        }
        Run r = run("train", "--data", data.toString(), "--out", dir.resolve("m.safetensors").toString());
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("train-images-idx3-ubyte: has rank 1, expected 3"), r.err());
        assertFalse(Files.exists(dir.resolve("m.safetensors")), "nothing written");
    }

    @Test
    void missingOrCorruptModelIsOneLine() throws IOException {
        Run r = run("eval", "--model", dir.resolve("absent.safetensors").toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("absent.safetensors: no such model file"), r.err());

        Path junk = Files.writeString(dir.resolve("junk.safetensors"), "this is not a model file at all");
        r = run("predict", "--model", junk.toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("junk.safetensors: not a safetensors model file"), r.err());

        byte[] badJson = new byte[8 + 12];
        badJson[0] = 11; // a header of 11 bytes that stops inside the array
        System.arraycopy("{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8), 0, badJson, 8, 11);
        Path cut = Files.write(dir.resolve("cut.safetensors"), badJson);
        r = run("eval", "--model", cut.toString(), "--data", "embedded");
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("cut.safetensors: not a safetensors model file: header is not valid JSON"), r.err());
    }

    @Test
    void divergingTrainingIsOneLineAndSavesNothing() {
        Path out = dir.resolve("diverged.safetensors");
        Run r = run("train", "--data", "embedded", "--limit", "300", "--epochs", "1", "--optimizer", "sgd", "--lr", "1e6",
                "--threads", "1", "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("training diverged: the loss is NaN"), r.err());
        assertTrue(r.err().contains("Try a smaller --lr (was 1000000.0)"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run r = run("train", "--verbose", "--data", dir.resolve("nowhere").toString());
        assertEquals(Main.EXIT_FAILURE, r.code());
        assertTrue(r.err().lines().count() > 1 && r.err().contains("\tat "), r.err());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"train", "eval", "predict", "gradients", "demo"}) {
            assertTrue(r.out().contains(c), c + " in " + r.out());
        }
        Run t = run("train", "--help");
        assertEquals(0, t.code());
        assertTrue(t.out().contains("--hidden") && t.out().contains("default: 256,128"), t.out());
    }
}
