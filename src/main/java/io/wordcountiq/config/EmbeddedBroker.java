package io.wordcountiq.config;

import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker this process starts when KAFKA_BOOTSTRAP_SERVERS names none, closed after everything else. */
final class EmbeddedBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private EmbeddedBroker() {
    }

    /** Starts the embedded broker when the settings ask for one; null when they name a broker. */
    static EmbeddedKafka startIfWanted(CamelContext context, Function<String, Optional<String>> lookup) throws Exception {
        if (!Settings.wantsEmbeddedKafka(lookup)) {
            return null;
        }
        Path kafkaDir = Settings.dataDir(lookup).resolve("kafka");
        EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir);
        LOG.info("KAFKA_BOOTSTRAP_SERVERS is not set: started an embedded Kafka broker at {}, {} log in {} "
                        + "(stop, delete DATA_DIR, and start again to begin afresh)", broker.bootstrapServers(),
                broker.fresh() ? "a new" : "its", kafkaDir.toAbsolutePath());
        context.addService(new Closing(broker), true, true);
        return broker;
    }

    /** Closes the embedded broker after everything else has stopped. */
    private record Closing(EmbeddedKafka broker) implements Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            try {
                broker.close();
            } catch (Exception e) {
                LOG.warn("Embedded broker did not close cleanly: {}", e.toString());
            }
        }
    }
}
