package io.wordcountiq.streams;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops every repeat of a POST /lines sent with an {@code Idempotency-Key}, inside the topology, where exactly-once
 * already holds. Such a request is written as one record keyed by the idempotency key (so every attempt of it, from any
 * instance of either cluster, lands in one input partition, one task), with the SHA-256 of its body in a header. The
 * first record of a key passes and is remembered in a changelogged window store for IDEMPOTENCY_RETENTION_MS; every
 * later one is dropped, whatever its body (a different body is reported, as a conflict). The store and the input
 * offsets are committed in one transaction, so a kill -9, a rebalance or a restart neither forgets a key nor drops a
 * first attempt. Records without the header (lines written without the key, or by other producers) pass untouched.
 */
public final class IdempotencyFilter implements FixedKeyProcessor<String, String, String> {

    /** The record header holding the first 8 bytes of the SHA-256 of the request body. */
    public static final String BODY_HASH_HEADER = "iq-body-sha256";

    private final Duration retention;
    private FixedKeyProcessorContext<String, String> context;
    private WindowStore<String, Long> seen;
    private Sensor repeats;
    private Sensor conflicts;

    IdempotencyFilter(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, String> context) {
        this.context = context;
        this.seen = context.getStateStore(Names.IDEMPOTENCY_STORE);
        this.repeats = context.metrics().addRateTotalSensor("idempotency", "filter", "repeats-dropped",
                Sensor.RecordingLevel.INFO);
        this.conflicts = context.metrics().addRateTotalSensor("idempotency", "filter", "conflicts-dropped",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, String> record) {
        Header hash = record.headers().lastHeader(BODY_HASH_HEADER);
        if (record.key() == null || hash == null || hash.value() == null || hash.value().length != Long.BYTES) {
            context.forward(record);
            return;
        }
        long bodyHash = ByteBuffer.wrap(hash.value()).getLong();
        Long first = firstSeen(record.key(), record.timestamp());
        if (first == null) {
            seen.put(record.key(), bodyHash, record.timestamp());
            context.forward(record);
            return;
        }
        repeats.record();
        if (first != bodyHash) {
            conflicts.record();
        }
    }

    /** The body hash the key was first seen with within the retention around {@code timestamp}, or null. */
    private Long firstSeen(String key, long timestamp) {
        long span = retention.toMillis();
        try (WindowStoreIterator<Long> it = seen.fetch(key, Math.max(0, timestamp - span), timestamp + span)) {
            return it.hasNext() ? it.next().value : null;
        }
    }
}
