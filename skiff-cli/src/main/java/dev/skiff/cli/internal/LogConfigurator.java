package dev.skiff.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Configures Logback in code for the {@code skiff} command: one console appender on stderr, INFO for
 * Skiff (or {@code -Dskiff.log.level}), WARN for Netty. Client commands call {@link #quiet()} first so
 * their output is theirs alone: only warnings and errors from the libraries reach the terminal.
 *
 * <p>Why code and not a logback.xml: parsing XML configuration costs a few hundred milliseconds of
 * start-up, more than the broker itself needs to open its logs and bind. A user who wants their own
 * file still gets it: with {@code -Dlogback.configurationFile} set, this configurator steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("skiff.log.level", "INFO"), Level.INFO));
        root.addAppender(appender);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Lowers the root level to WARN for a client command (demo, produce, consume, topic, perf), unless the
     * user asked for a level with {@code -Dskiff.log.level} or brought their own Logback file.
     */
    public static void quiet() {
        setRootLevel(Level.WARN);
    }

    /** Restores the server level (INFO or {@code -Dskiff.log.level}); the broker command calls it. */
    public static void server() {
        setRootLevel(Level.INFO);
    }

    private static void setRootLevel(Level level) {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        final Object factory = org.slf4j.LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext) {
            final String asked = System.getProperty("skiff.log.level");
            ((LoggerContext) factory).getLogger(Logger.ROOT_LOGGER_NAME)
                    .setLevel(asked != null ? Level.toLevel(asked, level) : level);
        }
    }
}
