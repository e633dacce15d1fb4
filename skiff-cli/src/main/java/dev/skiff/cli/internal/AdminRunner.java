package dev.skiff.cli.internal;

import dev.skiff.client.admin.AdminException;
import dev.skiff.client.admin.SkiffAdmin;
import dev.skiff.client.producer.ConfigException;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs an admin action for a {@code skiff topic ...} or {@code skiff group ...} command: quiet logging, a
 * reachability check, one admin client for the action, and failures as one line
 * ({@code skiff topic create: Topic 'x' already exists...}).
 */
public final class AdminRunner {
    /** An action given an open admin client; returns the exit code. */
    @FunctionalInterface
    public interface Action<A> {
        int run(A admin, PrintWriter out) throws Exception;
    }

    private AdminRunner() {
    }

    /** {@link #run(CommandSpec, BootstrapOption, Function, Action)} with a {@link SkiffAdmin}. */
    public static int run(CommandSpec spec, BootstrapOption bootstrap, Action<SkiffAdmin> action) {
        return run(spec, bootstrap, SkiffAdmin::create, action);
    }

    /**
     * Runs {@code action} with the client {@code open} makes from the bootstrap servers: 0 or whatever it
     * returns, 1 when the broker is unreachable or refuses, 2 for a bad configuration.
     */
    public static <A extends AutoCloseable> int run(CommandSpec spec, BootstrapOption bootstrap,
                                                    Function<String, A> open, Action<A> action) {
        LogConfigurator.quiet();
        final PrintWriter err = spec.commandLine().getErr();
        final String name = spec.qualifiedName(" ");
        final String unreachable = bootstrap.unreachable(3000);
        if (unreachable != null) {
            err.println(name + ": " + unreachable);
            return 1;
        }
        try (A admin = open.apply(bootstrap.get())) {
            final int code = action.run(admin, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return code;
        } catch (ConfigException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (AdminException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println(name + ": " + Failures.message(e));
            return 1;
        }
    }
}
