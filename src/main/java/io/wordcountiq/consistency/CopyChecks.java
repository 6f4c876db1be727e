package io.wordcountiq.consistency;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Whether a word-count copy (active, standby or restoring) has applied what a token's writes and observer reads
 * produced: takes the offsets each check needs, once per request ({@code state}), and leaves the verdicts to
 * {@link Coverage}. Completes on a Kafka client thread.
 */
final class CopyChecks {

    private final StreamsLifecycle lifecycle;
    private final KafkaOffsets kafka;
    private final GroupProgress group;
    private final String applicationId;
    private final String repartitionTopic;

    CopyChecks(StreamsLifecycle lifecycle, KafkaOffsets kafka, GroupProgress group, String repartitionTopic) {
        this.lifecycle = lifecycle;
        this.kafka = kafka;
        this.group = group;
        this.applicationId = lifecycle.settings().countingApplicationId();
        this.repartitionTopic = repartitionTopic;
    }

    /**
     * How far a copy is from covering the token's writes, or null when it covers them. {@code position} is the copy's
     * position of the partition as a read found it (-1 for none).
     */
    CompletionStage<String> writesBehind(ConsistencyToken token, String store, int partition, Copy copy, long position,
                                         Map<String, Long> state) {
        if (!token.writesConcern(partition)) {
            return CompletableFuture.completedFuture(null);
        }
        return group.inputCommitted(token).thenCompose(behind -> {
            if (behind != null) {
                return CompletableFuture.completedFuture(behind);
            }
            // Every count record derived from the lines was acknowledged before their transaction committed, so it lies
            // below the repartition topic's end offset taken now. (Not its last stable offset: a transaction's markers
            // are written after its group offsets show, so that offset may still stand before the records.)
            TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
            return kafka.endOnce(state, "repartition", repartition, IsolationLevel.READ_UNCOMMITTED).thenCompose(target ->
                    appliedThrough(store, partition, copy, position, target, state, ""));
        });
    }

    /**
     * How far a copy is from what observers were read at (the token's {@code observed} facts of this partition), or
     * null when it covers it. The records below an observer's position were written by transactions that had
     * committed, with their repartition offsets, before the token was made: a copy that has applied the repartition
     * partition up to the group's committed offset taken now holds their counts.
     */
    CompletionStage<String> observedBehind(ConsistencyToken token, String store, int partition, Copy copy, long position,
                                           Map<String, Long> state) {
        if (!token.observedConcern(partition)) {
            return CompletableFuture.completedFuture(null);
        }
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        CompletionStage<Long> target;
        synchronized (state) {
            Long known = state.get("observedCommitted");
            target = known != null ? CompletableFuture.completedFuture(known) : group.offsets(true).thenApply(offsets -> {
                long committed = offsets.getOrDefault(repartition, 0L);
                synchronized (state) {
                    return state.computeIfAbsent("observedCommitted", k -> committed);
                }
            });
        }
        return target.thenCompose(t -> appliedThrough(store, partition, copy, position, t, state, "observed."));
    }

    /**
     * Whether a copy has applied the repartition partition up to {@code target} (exclusive), or why not. {@code prefix}
     * keeps this target's changelog offsets apart from another target's in {@code state}.
     */
    private CompletionStage<String> appliedThrough(String store, int partition, Copy copy, long position, long target,
                                                   Map<String, Long> state, String prefix) {
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        if (Coverage.appliedByPosition(copy.kind(), position, target)) {
            return CompletableFuture.completedFuture(null);
        }
        long taskCommitted = copy.kind() == Copy.Kind.ACTIVE ? localCommitted(repartition) : -1;
        if (taskCommitted >= target) {
            return CompletableFuture.completedFuture(null);
        }
        return group.offsets(true).thenCompose(offsets -> {
            Long groupCommitted = offsets.get(repartition);
            if (copy.kind() == Copy.Kind.ACTIVE) {
                return CompletableFuture.completedFuture(
                        Coverage.activeBehind(position, taskCommitted, groupCommitted, target));
            }
            String notCommitted = Coverage.standbyCommitBehind(groupCommitted, target);
            if (notCommitted != null) {
                return CompletableFuture.completedFuture(notCommitted);
            }
            return changelogTarget(store, partition, state, prefix).thenApply(changelogTarget ->
                    Coverage.changelogBehind(changelogTarget, changelogPosition(store, partition)));
        });
    }

    /**
     * The changelog's last stable offset C once it covers the counts just committed, or -1 while it does not yet. The
     * counts' changelog records were acknowledged before their transaction committed, so they lie below the end offset
     * taken now. One producer writes a changelog partition (its active task's), one transaction after the other, so
     * the offset just below C is that producer's last marker.
     */
    private CompletionStage<Long> changelogTarget(String store, int partition, Map<String, Long> state, String prefix) {
        Long known;
        synchronized (state) {
            known = state.get(prefix + "changelog");
        }
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        TopicPartition changelog = new TopicPartition(Names.changelogTopic(applicationId, store), partition);
        return kafka.endOnce(state, prefix + "changelogEnd", changelog, IsolationLevel.READ_UNCOMMITTED).thenCompose(end ->
                kafka.listOffsets(Map.of(changelog, OffsetSpec.latest()), IsolationLevel.READ_COMMITTED).thenApply(lso -> {
                    long stable = Coverage.changelogTarget(end, lso.getOrDefault(changelog, 0L));
                    if (stable >= 0) {
                        synchronized (state) {
                            state.put(prefix + "changelog", stable);
                        }
                    }
                    return stable;
                }));
    }

    private long localCommitted(TopicPartition repartition) {
        for (ThreadMetadata thread : lifecycle.streams().metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                Long c = task.committedOffsets().get(repartition);
                if (c != null) {
                    return c;
                }
            }
        }
        return -1;
    }

    private long changelogPosition(String store, int partition) {
        LagInfo lag = lifecycle.streams().allLocalStorePartitionLags().getOrDefault(store, Map.of()).get(partition);
        return lag == null ? -1 : lag.currentOffsetPosition();
    }
}
