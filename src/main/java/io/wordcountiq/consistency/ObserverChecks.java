package io.wordcountiq.consistency;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.settings.Settings;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether an observer's global store covers a token for a key of one partition (docs/consistency.md, "Observers"):
 * takes the offsets the check needs, once per request ({@code state}), and leaves the verdicts to {@link Coverage}.
 */
final class ObserverChecks {

    private final KafkaOffsets kafka;
    private final GroupProgress group;
    private final Settings settings;
    private final String repartitionTopic;

    ObserverChecks(KafkaOffsets kafka, GroupProgress group, Settings settings, String repartitionTopic) {
        this.kafka = kafka;
        this.group = group;
        this.settings = settings;
        this.repartitionTopic = repartitionTopic;
    }

    /**
     * How far the store is from covering the token, or null when it covers it. {@code applied} is the store's
     * consumer position of the output partition ({@code windows}: of the windowed output topic).
     */
    CompletionStage<String> behind(ConsistencyToken token, boolean windows, int partition, long applied,
                                   Map<String, Long> state) {
        String readBehind = Coverage.observerReadBehind(token, windows, partition, applied);
        if (readBehind != null) {
            return CompletableFuture.completedFuture(readBehind);
        }
        if (!Coverage.observerAwaitsCommits(token, windows, partition)) {
            return CompletableFuture.completedFuture(null);
        }
        // The lines' words reach the repartition topic (below its end offset taken once the input is committed), then
        // their counts reach the output topics in the transactions that commit those repartition offsets.
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        Long seen = token.positions().get(partition);
        CompletionStage<String> made = !token.writesConcern(partition) ? CompletableFuture.completedFuture(null)
                : group.inputCommitted(token).thenCompose(behind -> behind != null ? CompletableFuture.completedFuture(behind)
                        : kafka.endOnce(state, "repartition", repartition, IsolationLevel.READ_UNCOMMITTED)
                                .thenCompose(end -> group.repartitionCommitted(partition, end)));
        return made.thenCompose(behind -> behind != null || seen == null ? CompletableFuture.completedFuture(behind)
                : group.repartitionCommitted(partition, seen + 1)).thenCompose(behind -> {
            if (behind != null) {
                return CompletableFuture.completedFuture(behind);
            }
            TopicPartition output = new TopicPartition(windows ? settings.windowedOutputTopic() : settings.outputTopic(),
                    partition);
            return kafka.endOnce(state, "output", output, IsolationLevel.READ_UNCOMMITTED)
                    .thenApply(end -> Coverage.outputBehind(applied, end, output.topic()));
        });
    }
}
