package io.wordcountiq.consistency;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

/**
 * Whether a copy of a store partition covers a consistency token, in the offsets Kafka gives (see
 * docs/consistency.md). Every question to Kafka is asynchronous ({@link KafkaOffsets}): a read that waits for a token
 * holds no thread. Word-count copies are checked by {@link CopyChecks}, observers by {@link ObserverChecks}; the
 * verdicts are {@link Coverage}'s.
 */
public class Consistency extends org.apache.camel.support.service.ServiceSupport {

    private final Settings settings;
    private final String repartitionTopic;
    private final KafkaOffsets kafka;
    private final CopyChecks copies;
    private final ObserverChecks observers;

    public Consistency(StreamsLifecycle lifecycle) {
        this.settings = lifecycle.settings();
        this.repartitionTopic = Names.repartitionTopic(settings.countingApplicationId());
        this.kafka = new KafkaOffsets(settings);
        GroupProgress group = new GroupProgress(kafka, settings.inputTopic(), repartitionTopic);
        this.copies = new CopyChecks(lifecycle, kafka, group, repartitionTopic);
        this.observers = new ObserverChecks(kafka, group, settings, repartitionTopic);
    }

    /** The repartition-topic position of a read, or -1 when the copy has applied nothing yet. */
    public long positionOf(Position position, int partition) {
        if (position == null) {
            return -1;
        }
        Long p = position.getPartitionPositions(repartitionTopic).get(partition);
        return p == null ? -1 : p;
    }

    /**
     * A token must name partitions that exist and writes that happened: an input partition the topic does not have,
     * or an offset beyond its end, comes from no write of this cluster (400).
     */
    public CompletionStage<Void> requirePlausible(ConsistencyToken token) {
        if (token.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return partitionCount().thenCompose(count -> {
            TokenBounds.requirePartitions(token, count);
            if (token.writes().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            token.writes().keySet().forEach(p -> ends.put(new TopicPartition(settings.inputTopic(), p), OffsetSpec.latest()));
            return kafka.listOffsets(ends, IsolationLevel.READ_UNCOMMITTED)
                    .thenAccept(end -> TokenBounds.requireWritesReceived(token, end, settings.inputTopic()));
        });
    }

    /** The input topic's partitions (the repartition topic and the stores have as many), asked once. */
    public CompletionStage<Integer> partitionCount() {
        return kafka.inputPartitions();
    }

    /**
     * How far a word-count copy is from covering the token's writes and what observers were read at, or null when it
     * covers both ({@link ConsistencyToken#committedConcern}). {@code position} is the copy's position of the
     * partition as a read found it (-1 for none); {@code state} keeps the offsets taken once per request, so a request
     * waits for fixed targets. Completes on a Kafka client thread.
     */
    public CompletionStage<String> committedBehind(ConsistencyToken token, String store, int partition, Copy copy,
                                                   long position, Map<String, Long> state) {
        return copies.writesBehind(token, store, partition, copy, position, state).thenCompose(behind -> behind != null
                ? CompletableFuture.completedFuture(behind)
                : copies.observedBehind(token, store, partition, copy, position, state));
    }

    /**
     * How far an observer's global store is from covering the token for a key of this partition, or null when it
     * covers it (docs/consistency.md, "Observers"). {@code applied} is the store's consumer position of the output
     * partition ({@code windows}: of the windowed output topic); every committed record below it is applied.
     */
    public CompletionStage<String> observerBehind(ConsistencyToken token, boolean windows, int partition, long applied,
                                                  Map<String, Long> state) {
        return observers.behind(token, windows, partition, applied, state);
    }

    @Override
    protected void doStop() {
        kafka.close();
    }
}
