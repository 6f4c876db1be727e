package io.wordcountiq.ingest;

import io.wordcountiq.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The transactional producers ingest writes with, one per slot: a slot's producer is created when first needed and
 * replaced after a failure. Each slot's transactional id is stable across restarts of this instance, so a new
 * producer fences the old one and aborts whatever transaction it left open.
 */
final class ProducerPool {

    /** One producer of the pool. */
    final class Slot {
        private final String transactionalId;
        private Producer<String, String> producer;

        private Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        /** The slot's producer, created (and its transactions initialised) when there is none. */
        Producer<String, String> producer() {
            if (producer == null) {
                producer = create(transactionalId);
            }
            return producer;
        }

        /** Closes the slot's producer after a failure; the next write creates a new one. */
        void discard() {
            if (producer != null) {
                try {
                    producer.close(Duration.ZERO);
                } catch (RuntimeException ignored) {
                    // Closing a failed producer may fail too; it is gone either way.
                }
                producer = null;
            }
        }
    }

    private final Settings settings;
    private final long timeoutMs;
    private final BlockingQueue<Slot> free;
    private final List<Slot> all = new ArrayList<>();

    /** @param timeoutMs INGEST_TIMEOUT_MS: every wait of a producer stays within it */
    ProducerPool(Settings settings, int size, long timeoutMs) {
        this.settings = settings;
        this.timeoutMs = timeoutMs;
        this.free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Slot slot = new Slot(settings.applicationId() + "-lines-" + settings.applicationServer() + "-" + i);
            free.add(slot);
            all.add(slot);
        }
    }

    /** A free slot, or null when every one is in use. */
    Slot take() {
        return free.poll();
    }

    void giveBack(Slot slot) {
        free.add(slot);
    }

    /** Closes every producer, giving each a few seconds to finish. */
    void close() {
        for (Slot slot : all) {
            if (slot.producer != null) {
                slot.producer.close(Duration.ofSeconds(5));
                slot.producer = null;
            }
        }
    }

    private Producer<String, String> create(String transactionalId) {
        Properties props = new Properties();
        settings.kafkaClient().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Every wait of a write stays within INGEST_TIMEOUT_MS.
        long quarter = Math.max(250, timeoutMs / 4);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, quarter);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) quarter);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (2 * quarter + 10));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Producer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException | IllegalStateException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }
}
