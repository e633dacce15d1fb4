package dev.skiff.cli;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Skiff broker per test class, on a free loopback port, data in a temporary directory.
 * Register with {@code @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();}.
 */
final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback {
    private Broker broker;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = java.nio.file.Files.createTempDirectory("skiff-cli-test-");
        broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0).build());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }
}
