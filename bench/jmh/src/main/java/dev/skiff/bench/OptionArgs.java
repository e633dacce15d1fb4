package dev.skiff.bench;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The command-line shape every bench main shares: {@code --name value} pairs, and repeatable
 * {@code --set key=value} client settings passed on verbatim.
 */
final class OptionArgs {
    private OptionArgs() {
    }

    /** Calls {@code option} with each name and its value; a name without a value is an error. */
    static void forEach(String[] args, BiConsumer<String, String> option) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            option.accept(args[i], args[i + 1]);
        }
    }

    /** Adds one {@code key=value} of a {@code --set} option to {@code settings}. */
    static void putSetting(Map<String, String> settings, String keyValue) {
        final int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set takes key=value, got " + keyValue);
        }
        settings.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }
}
