package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The process age behind the CLI's "data loaded N s after the launch". */
class LaunchTimeTest {
    @Test
    void readsStartTicksAfterTheLastParenthesisOfTheCommandName() {
        // field 22 (starttime) is 98765 ticks; the command name holds spaces and parentheses
        String stat = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 3 0 98765 123456 789\n";
        assertEquals(1000.50 - 987.65, Training.processAgeSeconds(stat, "1000.50 1900.00\n"), 1e-9);
    }

    @Test
    void refusesTextOfAnotherForm() {
        assertThrows(RuntimeException.class, () -> Training.processAgeSeconds("1234 (x) S 1", "1000.50 1900.00"));
        assertThrows(RuntimeException.class, () -> Training.processAgeSeconds(
                "1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12 1 1", "soon"));
    }

    /**
     * The process started a little before the JVM finished initialising (the JVM's own start-up: tens of ms, more
     * on a loaded machine, hence the half second allowed), never after it (10 ms resolution on each side):
     * ProcessHandle's start instant, which this replaced, made the process 0.77 s older on the development VM.
     */
    @Test
    void processAgeIsJustOverTheJvmsUptime() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux only");
        double jvmUptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        double age = Training.processAgeSeconds();
        double after = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        assertTrue(age >= jvmUptime - 0.02, "process age " + age + " s, JVM uptime " + jvmUptime + " s");
        assertTrue(age <= after + 0.5, "process age " + age + " s, JVM uptime " + after + " s");
    }
}
