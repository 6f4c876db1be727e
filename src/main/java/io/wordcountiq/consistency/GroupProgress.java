package io.wordcountiq.consistency;

import io.wordcountiq.model.ConsistencyToken;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the counting application's group has committed: its committed offsets, reused for 20 ms and asked one
 * question at a time, and whether they pass a token's writes or a repartition offset.
 */
final class GroupProgress {

    private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final KafkaOffsets kafka;
    private final String inputTopic;
    private final String repartitionTopic;
    private volatile Map<TopicPartition, Long> offsets = Map.of();
    private volatile long offsetsAt;
    private volatile CompletableFuture<Map<TopicPartition, Long>> inFlight;

    GroupProgress(KafkaOffsets kafka, String inputTopic, String repartitionTopic) {
        this.kafka = kafka;
        this.inputTopic = inputTopic;
        this.repartitionTopic = repartitionTopic;
    }

    /**
     * The group's committed offsets: the cached ones when they are at most 20 ms old and {@code fresh} is false, else
     * asked anew (one question at a time, shared by every request that needs it then).
     */
    CompletionStage<Map<TopicPartition, Long>> offsets(boolean fresh) {
        if (!fresh && System.nanoTime() - offsetsAt <= MAX_AGE_NANOS) {
            return CompletableFuture.completedFuture(offsets);
        }
        CompletableFuture<Map<TopicPartition, Long>> asking = inFlight;
        if (asking != null && !asking.isDone()) {
            return asking;
        }
        synchronized (this) {
            if (inFlight != null && !inFlight.isDone()) {
                return inFlight;
            }
            long asked = System.nanoTime();
            CompletableFuture<Map<TopicPartition, Long>> next = kafka.groupCommitted().thenApply(out -> {
                offsets = out;
                offsetsAt = asked;
                return out;
            });
            inFlight = next;
            return next;
        }
    }

    /** Null once the application has committed its input past every write of the token, else why not. */
    CompletionStage<String> inputCommitted(ConsistencyToken token) {
        return offsets(false).thenCompose(cached -> {
            if (Coverage.inputBehind(token, cached, inputTopic) == null) {
                return CompletableFuture.completedFuture(null);
            }
            return offsets(true).thenApply(fresh -> Coverage.inputBehind(token, fresh, inputTopic));
        });
    }

    /** Null once the group has committed the repartition partition up to {@code offset}, else why not. */
    CompletionStage<String> repartitionCommitted(int partition, long offset) {
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        return offsets(false).thenCompose(cached -> Coverage.repartitionBehind(cached.get(repartition), offset) == null
                ? CompletableFuture.completedFuture(null)
                : offsets(true).thenApply(fresh -> Coverage.repartitionBehind(fresh.get(repartition), offset)));
    }
}
