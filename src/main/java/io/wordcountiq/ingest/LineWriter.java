package io.wordcountiq.ingest;

import io.wordcountiq.ingest.ProducerPool.Slot;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Blocking;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.model.WrittenLines;
import io.wordcountiq.settings.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lines of one POST /lines to the input topic in one Kafka transaction: all of them or none.
 *
 * <p>A small pool of transactional producers ({@link ProducerPool}) serves ingest, so ingest never holds more than
 * its share of the HTTP server's threads, and reads keep answering while Kafka is down. Every wait is bounded by
 * INGEST_TIMEOUT_MS. When Kafka cannot be reached the answer is 503, and nothing of that request was written; only if
 * Kafka stops answering while it commits is the outcome unknown, and the answer is 504 saying so. A producer that
 * failed is closed and replaced on the next request. An outage is logged once when it starts and once when it ends.
 */
public class LineWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LineWriter.class);

    private final Settings settings;
    private final long timeoutMs;
    private final ProducerPool pool;
    private final AtomicBoolean outage = new AtomicBoolean();

    public LineWriter(Settings settings, int concurrency, long timeoutMs) {
        this.settings = settings;
        this.timeoutMs = timeoutMs;
        this.pool = new ProducerPool(settings, concurrency, timeoutMs);
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
        Slot slot = pool.take();
        if (slot == null) {
            throw new ApiError(503, "ingest is busy; nothing of this request was written; retry shortly", 1);
        }
        try {
            Map<Integer, Long> offsets = writeIn(slot, InputRecords.of(request, settings.inputTopic()), request.trace(),
                    deadline);
            int partitions = slot.producer().partitionsFor(settings.inputTopic()).size();
            ConsistencyToken written = ConsistencyToken.written(offsets, InputRecords.touched(lines, partitions));
            return new WrittenLines(lines.size(), request.seen().merge(written));
        } finally {
            pool.giveBack(slot);
        }
    }

    private Map<Integer, Long> writeIn(Slot slot, List<ProducerRecord<String, String>> records, TraceParent trace,
                                       long deadline)
            throws InterruptedException {
        Producer<String, String> producer;
        Map<Integer, Long> written = new TreeMap<>();
        try {
            producer = slot.producer();
            producer.beginTransaction();
        } catch (KafkaException | IllegalStateException e) {
            slot.discard();
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
            slot.discard();
            throw unreachable(e instanceof ExecutionException ? e.getCause() : e);
        }
        try {
            producer.commitTransaction();
        } catch (TimeoutException e) {
            slot.discard();
            noteOutage(e);
            throw new ApiError(504, "Kafka did not confirm the commit in time: the lines may or may not have been "
                    + "written; check before sending them again", 5);
        } catch (KafkaException | IllegalStateException e) {
            // Commit refused (not timed out): the transaction was not committed.
            abortQuietly(producer);
            slot.discard();
            throw unreachable(e);
        }
        if (outage.compareAndSet(true, false)) {
            LOG.info("Kafka is reachable again: POST /lines is accepted again");
        }
        return written;
    }

    private String maxRequestSize() {
        return settings.kafkaClient().getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
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

    @Override
    protected void doStart() {
    }

    @Override
    protected void doStop() {
        pool.close();
    }
}
