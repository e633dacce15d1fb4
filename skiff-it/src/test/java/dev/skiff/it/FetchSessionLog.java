package dev.skiff.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What kafka-clients' {@code FetchSessionHandler} says about the broker's Fetch answers, captured in memory:
 * it logs at INFO when a response does not fit the session it thinks it has ("invalid full/incremental fetch
 * response") and at DEBUG when a session is created or continued. Raising the logger to DEBUG for the test is
 * why this exists: the shared logback-test.xml keeps org.apache.kafka at WARN.
 */
final class FetchSessionLog implements AutoCloseable {
    static final String LOGGER = "org.apache.kafka.clients.FetchSessionHandler";

    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private FetchSessionLog() {
        logger = (Logger) LoggerFactory.getLogger(LOGGER);
        previousLevel = logger.getLevel();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    static FetchSessionLog capture() {
        return new FetchSessionLog();
    }

    /** Every message logged so far, formatted. */
    List<String> messages() {
        // AppenderBase.doAppend locks the appender itself while it adds to the list.
        synchronized (appender) {
            final List<String> out = new ArrayList<>();
            for (ILoggingEvent e : appender.list) {
                out.add(e.getLevel() + " " + e.getFormattedMessage());
            }
            return out;
        }
    }

    /** Messages that contain {@code text}. */
    List<String> containing(String text) {
        final List<String> out = new ArrayList<>();
        for (String m : messages()) {
            if (m.contains(text)) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
    }
}
