package io.wordcountiq.ingest;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Blocking;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.model.WrittenLines;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.IdempotencyFilter;
import io.wordcountiq.streams.WordCountTopology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lines of one POST /lines to the input topic in one Kafka transaction: all of them or none.
 *
 * <p>A small pool of transactional producers serves ingest, so ingest never holds more than its share of the HTTP
 * server's threads, and reads keep answering while Kafka is down. Every wait is bounded by INGEST_TIMEOUT_MS. When
 * Kafka cannot be reached the answer is 503, and nothing of that request was written; only if Kafka stops
 * answering while it commits is the outcome unknown, and the answer is 504 saying so. A producer that failed is
 * closed and replaced on the next request; a new producer with the same transactional id fences the old one and
 * aborts whatever it left open. An outage is logged once when it starts and once when it ends.
 */
public class LineWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LineWriter.class);

    /** One producer of the pool; created when first needed, replaced after a failure. */
    private static final class Slot {
        final String transactionalId;
        Producer<String, String> producer;

        Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }
    }

    private final Settings settings;
    private final long timeoutMs;
    private final BlockingQueue<Slot> slots;
    private final List<Slot> all = new ArrayList<>();
    private final AtomicBoolean outage = new AtomicBoolean();

    public LineWriter(Settings settings, int concurrency, long timeoutMs) {
        this.settings = settings;
        this.timeoutMs = timeoutMs;
        this.slots = new ArrayBlockingQueue<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            // Stable across restarts of this instance, so a new producer fences the old one's open transaction.
            Slot slot = new Slot(settings.applicationId() + "-lines-" + settings.applicationServer() + "-" + i);
            slots.add(slot);
            all.add(slot);
        }
    }

    /**
     * Writes every line as one record, in one transaction; throws a 503 (nothing written) or 504 (unknown). The
     * result's token names the input offsets just after the lines, per partition, on top of the writer's own token.
     */
    @Blocking("a Kafka transaction")
    public WrittenLines write(LinesToWrite request) throws InterruptedException {
        List<String> lines = request.lines();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        // The ingest pool has one thread per producer: a write that runs always finds one free.
        Slot slot = slots.poll();
        if (slot == null) {
            throw new ApiError(503, "ingest is busy; nothing of this request was written; retry shortly", 1);
        }
        try {
            Map<Integer, Long> offsets = writeIn(slot, records(request), request.trace(), deadline);
            ConsistencyToken written = ConsistencyToken.written(offsets, touched(slot, lines));
            return new WrittenLines(lines.size(), request.seen().merge(written));
        } finally {
            slots.add(slot);
        }
    }

    /**
     * One record per line; with an Idempotency-Key, one record of all the lines keyed by it (the topology splits
     * words on line ends as on spaces, so the counts are the same), carrying the body's hash: every attempt of the
     * request lands in the key's input partition, where the topology counts only the first.
     */
    private List<ProducerRecord<String, String>> records(LinesToWrite request) {
        if (request.idempotency() == null) {
            return request.lines().stream().map(line -> new ProducerRecord<String, String>(settings.inputTopic(), line))
                    .toList();
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(settings.inputTopic(), request.idempotency().key(),
                String.join("\n", request.lines()));
        record.headers().add(IdempotencyFilter.BODY_HASH_HEADER,
                java.nio.ByteBuffer.allocate(Long.BYTES).putLong(request.idempotency().bodyHash()).array());
        return List.of(record);
    }

    private Map<Integer, Long> writeIn(Slot slot, List<ProducerRecord<String, String>> records, TraceParent trace,
                                       long deadline)
            throws InterruptedException {
        Producer<String, String> producer;
        Map<Integer, Long> written = new TreeMap<>();
        try {
            producer = producer(slot);
            producer.beginTransaction();
        } catch (KafkaException | IllegalStateException e) {
            discard(slot);
            throw unreachable(e);
        }
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            // The records carry the request's trace (W3C traceparent header), as a Kafka client instrumentation would.
            byte[] traceparent = trace == null ? null : trace.child().header().getBytes(StandardCharsets.US_ASCII);
            for (ProducerRecord<String, String> record : records) {
                if (traceparent != null) {
                    record.headers().add(Headers.TRACEPARENT, traceparent);
                }
                sent.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata md = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                written.merge(md.partition(), md.offset() + 1, Math::max);
            }
        } catch (KafkaException | IllegalStateException | ExecutionException | java.util.concurrent.TimeoutException e) {
            // Not every record reached Kafka: the transaction is never committed, so nothing of it is visible.
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof RecordTooLargeException) {
                abortQuietly(producer);
                throw new ApiError(413, "a line is larger than Kafka takes (the producer's max.request.size, "
                        + maxRequestSize() + " bytes); nothing of this request was written");
            }
            abortQuietly(producer);
            discard(slot);
            throw unreachable(e instanceof ExecutionException ? e.getCause() : e);
        }
        try {
            producer.commitTransaction();
        } catch (TimeoutException e) {
            discard(slot);
            noteOutage(e);
            throw new ApiError(504, "Kafka did not confirm the commit in time: the lines may or may not have been "
                    + "written; check before sending them again", 5);
        } catch (KafkaException | IllegalStateException e) {
            // Commit refused (not timed out): the transaction was not committed.
            abortQuietly(producer);
            discard(slot);
            throw unreachable(e);
        }
        if (outage.compareAndSet(true, false)) {
            LOG.info("Kafka is reachable again: POST /lines is accepted again");
        }
        return written;
    }

    /**
     * The store partitions the lines' words count in: the repartition topic has as many partitions as the input
     * topic, and the words are keyed by themselves (the default partitioner's murmur2 of their UTF-8).
     */
    private Set<Integer> touched(Slot slot, List<String> lines) {
        int partitions = slot.producer.partitionsFor(settings.inputTopic()).size();
        Set<Integer> out = new TreeSet<>();
        for (String line : lines) {
            for (String word : WordCountTopology.words(line)) {
                out.add(Utils.toPositive(Utils.murmur2(word.getBytes(StandardCharsets.UTF_8))) % partitions);
            }
        }
        return out;
    }

    private String maxRequestSize() {
        return settings.kafkaClient().getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
    }

    private Producer<String, String> producer(Slot slot) {
        if (slot.producer == null) {
            Properties props = new Properties();
            settings.kafkaClient().forEach((k, v) -> {
                if (ProducerConfig.configNames().contains(k)) {
                    props.put(k, v);
                }
            });
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, slot.transactionalId);
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
                producer.close(java.time.Duration.ZERO);
                throw e;
            }
            slot.producer = producer;
        }
        return slot.producer;
    }

    private ApiError unreachable(Throwable cause) {
        noteOutage(cause);
        return new ApiError(503, "Kafka cannot be reached: nothing of this request was written; retry shortly", 5);
    }

    private void noteOutage(Throwable cause) {
        if (outage.compareAndSet(false, true)) {
            LOG.warn("Kafka cannot be reached: POST /lines answers 503 until it is back ({})", String.valueOf(cause));
        } else {
            LOG.debug("Ingest failed during the outage: {}", String.valueOf(cause));
        }
    }

    private static void abortQuietly(Producer<String, String> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException ignored) {
            // The producer is discarded anyway; a new one with the same transactional id aborts what is left open.
        }
    }

    private static void discard(Slot slot) {
        if (slot.producer != null) {
            try {
                slot.producer.close(java.time.Duration.ZERO);
            } catch (RuntimeException ignored) {
                // Closing a failed producer may fail too; it is gone either way.
            }
            slot.producer = null;
        }
    }

    @Override
    protected void doStart() {
    }

    @Override
    protected void doStop() {
        for (Slot slot : all) {
            if (slot.producer != null) {
                slot.producer.close(java.time.Duration.ofSeconds(5));
                slot.producer = null;
            }
        }
    }
}
