package dev.vecprop.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Adds the command that replays a failed case to its failure message, e.g.
 * {@code replay: -Dtest='GemmPropertiesTest#matchesReference' -Dvecprop.case=0x3c1f…}. Register it on a
 * suite with {@code @ExtendWith(RerunHint.class)}; it acts on tests whose display name carries a
 * {@code seed=0x…} (the names {@link Case#toString()} makes) and leaves other failures alone.
 * {@link Cases#tests} adds the same hint without it. Stateless and thread-safe.
 */
public final class RerunHint implements TestExecutionExceptionHandler {
    private static final Pattern SEED = Pattern.compile("seed=(0x[0-9a-f]{16})");

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Matcher m = SEED.matcher(context.getDisplayName());
        if (!m.find() || failure instanceof TestAbortedException) {
            throw failure;
        }
        String test = context.getTestClass().map(Class::getSimpleName).orElse("?")
                + context.getTestMethod().map(method -> "#" + method.getName()).orElse("");
        throw withHint(failure, context.getDisplayName(), "-Dtest='" + test + "' -D" + Cases.CASE_PROPERTY + "=" + m.group(1));
    }

    /** @return the failure with a replay command appended to its message (an assertion stays an assertion) */
    static Throwable withHint(Throwable failure, String name, String flags) {
        if (failure instanceof TestAbortedException) {
            return failure; // an assumption that did not hold is a skip, not a failure
        }
        String message = (failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage())
                + System.lineSeparator() + "case: " + name + System.lineSeparator() + "replay: " + flags;
        Throwable hinted = failure instanceof AssertionError
                ? new AssertionFailedError(message, failure)
                : new RuntimeException(failure.getClass().getName() + ": " + message, failure);
        hinted.setStackTrace(failure.getStackTrace());
        return hinted;
    }
}
