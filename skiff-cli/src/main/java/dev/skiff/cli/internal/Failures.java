package dev.skiff.cli.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an exception into the one line a command prints: the innermost message worth reading, never a
 * stack trace (those go to the debug log).
 */
public final class Failures {
    private Failures() {
    }

    /** The cause that explains {@code t}, unwrapped from completion and execution wrappers. */
    public static Throwable root(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** One line for {@code t}: its message, or its type when it has none. */
    public static String message(Throwable t) {
        final Throwable root = root(t);
        final String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
