package io.wordcountiq.consistency;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.query.Position;

/**
 * Whether a copy of a store partition covers a consistency token, in the offsets Kafka gives (see
 * docs/consistency.md). Every question to Kafka is asynchronous: a read that waits for a token holds no thread.
 * <ul>
 *   <li>Seen positions: the copy's IQv2 position in the repartition topic is at least the token's. Reads never go
 *       back. Standbys advance their position from the changelog (the offset vector is enabled in the Streams
 *       configuration), so active and standby positions compare.</li>
 *   <li>Writes, for a partition the written words count in (others do not wait): first the application's committed
 *       offsets of the input topic pass the written offsets, so every count record derived from the lines was written
 *       to the repartition topic, below its end offset E taken then. The active copy covers the writes once it has
 *       applied the record at E-1 (its position), or its task's or the group's committed offset of that repartition
 *       partition reaches E (when E-1 is a transaction marker, which no position names); a standby or a restoring
 *       copy once the group's committed offset reaches E and the copy has applied the changelog up to its end offset
 *       taken then. A copy is read again after the check, so the answer is never older than what the check saw.</li>
 * </ul>
 */
public class Consistency extends org.apache.camel.support.service.ServiceSupport {

    private static final long GROUP_OFFSETS_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final StreamsLifecycle lifecycle;
    private final Settings settings;
    private final String repartitionTopic;
    private volatile Admin admin;
    private volatile Map<TopicPartition, Long> groupOffsets = Map.of();
    private volatile long groupOffsetsAt;
    private volatile CompletableFuture<Map<TopicPartition, Long>> groupOffsetsInFlight;
    private volatile int inputPartitions = -1;

    public Consistency(StreamsLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.settings = lifecycle.settings();
        this.repartitionTopic = Names.repartitionTopic(settings.countingApplicationId());
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
            for (Integer p : token.writes().keySet()) {
                if (p < 0 || p >= count) {
                    throw ApiError.badRequest("X-IQ-Token names input partition " + p + ", which does not exist ("
                            + count + " partitions)");
                }
            }
            for (Integer p : token.partitions()) {
                if (p < 0 || p >= count) {
                    throw ApiError.badRequest("X-IQ-Token names store partition " + p + ", which does not exist ("
                            + count + " partitions)");
                }
            }
            if (token.writes().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            token.writes().keySet().forEach(p -> ends.put(new TopicPartition(settings.inputTopic(), p), OffsetSpec.latest()));
            return listOffsets(ends, IsolationLevel.READ_UNCOMMITTED).thenAccept(end -> token.writes().forEach((p, o) -> {
                Long e = end.get(new TopicPartition(settings.inputTopic(), p));
                if (e == null || o > e) {
                    throw ApiError.badRequest("X-IQ-Token names writes this cluster never received (input partition " + p
                            + " offset " + o + ", end " + e + ")");
                }
            }));
        });
    }

    /** The input topic's partitions (the repartition topic and the stores have as many), asked once. */
    public CompletionStage<Integer> partitionCount() {
        int known = inputPartitions;
        if (known > 0) {
            return CompletableFuture.completedFuture(known);
        }
        return admin().describeTopics(List.of(settings.inputTopic())).allTopicNames().toCompletionStage()
                .handle((topics, e) -> {
                    if (e != null || topics.get(settings.inputTopic()) == null) {
                        throw ApiError.notReady("Kafka cannot be asked for the input topic's partitions right now");
                    }
                    int count = topics.get(settings.inputTopic()).partitions().size();
                    inputPartitions = count;
                    return count;
                });
    }

    /**
     * How far a copy is from covering the token's writes, or null when it covers them. {@code position} is the copy's
     * position of the partition as a read found it (-1 for none); {@code state} keeps the offsets taken once per
     * request, so a request waits for fixed targets. Completes on a Kafka client thread.
     */
    CompletionStage<String> writesBehind(ConsistencyToken token, String store, int partition, Copy copy, long position,
                                         Map<String, Long> state) {
        if (!token.writesConcern(partition)) {
            return CompletableFuture.completedFuture(null);
        }
        return inputCommitted(token).thenCompose(behind -> {
            if (behind != null) {
                return CompletableFuture.completedFuture(behind);
            }
            // Every count record derived from the lines was acknowledged before their transaction committed, so it lies
            // below the repartition topic's end offset taken now. (Not its last stable offset: a transaction's markers
            // are written after its group offsets show, so that offset may still stand before the records.)
            TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
            return offsetOnce(state, "repartition", repartition, IsolationLevel.READ_UNCOMMITTED).thenCompose(target ->
                    appliedThrough(store, partition, copy, position, target, state, ""));
        });
    }

    /**
     * How far a word-count copy is from covering the token's writes and what observers were read at, or null when it
     * covers both ({@link ConsistencyToken#committedConcern}).
     */
    public CompletionStage<String> committedBehind(ConsistencyToken token, String store, int partition, Copy copy,
                                            long position, Map<String, Long> state) {
        return writesBehind(token, store, partition, copy, position, state).thenCompose(behind -> behind != null
                ? CompletableFuture.completedFuture(behind)
                : observedBehind(token, store, partition, copy, position, state));
    }

    /**
     * How far a word-count copy is from what observers were read at (the token's {@code observed} facts of this
     * partition), or null when it covers it. The records below an observer's position were written by transactions
     * that had committed, with their repartition offsets, before the token was made: a copy that has applied the
     * repartition partition up to the group's committed offset taken now holds their counts.
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
            target = known != null ? CompletableFuture.completedFuture(known) : groupOffsets(true).thenApply(group -> {
                long committed = group.getOrDefault(repartition, 0L);
                synchronized (state) {
                    return state.computeIfAbsent("observedCommitted", k -> committed);
                }
            });
        }
        return target.thenCompose(t -> appliedThrough(store, partition, copy, position, t, state, "observed."));
    }

    /**
     * Whether a copy has applied the repartition partition up to {@code target} (exclusive), or why not. An active copy
     * once its position reaches target-1, or its task's or the group's committed offset reaches target (target-1 may be
     * a transaction marker, which no position names); a standby or restoring copy once the group has committed target
     * and the copy has applied its changelog up to the last stable offset taken then. {@code prefix} keeps this
     * target's changelog offsets apart from another target's in {@code state}.
     */
    private CompletionStage<String> appliedThrough(String store, int partition, Copy copy, long position, long target,
                                                   Map<String, Long> state, String prefix) {
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        if (target == 0 || (copy.kind() == Copy.Kind.ACTIVE && position >= target - 1)) {
            return CompletableFuture.completedFuture(null);
        }
        long taskCommitted = copy.kind() == Copy.Kind.ACTIVE ? localCommitted(repartition) : -1;
        if (taskCommitted >= target) {
            return CompletableFuture.completedFuture(null);
        }
        return groupOffsets(true).thenCompose(group -> {
            Long groupCommitted = group.get(repartition);
            boolean committed = groupCommitted != null && groupCommitted >= target;
            if (copy.kind() == Copy.Kind.ACTIVE) {
                // The group's offset moves on only as the counts are committed with it (exactly-once), and this
                // copy is the one that commits them.
                return CompletableFuture.completedFuture(committed ? null : "the counts of the lines are not "
                        + "applied yet (" + (target - 1 - Math.max(position, taskCommitted - 1)) + " records to go)");
            }
            if (!committed) {
                return CompletableFuture.completedFuture("the counts of the lines are not committed yet");
            }
            return changelogTarget(store, partition, state, prefix).thenApply(changelogTarget -> {
                if (changelogTarget < 0) {
                    return "the counts of the lines are not in the changelog yet";
                }
                long applied = changelogPosition(store, partition);
                return applied >= changelogTarget - 1 ? null
                        : "this copy is " + (changelogTarget - 1 - applied) + " changelog records behind the lines written";
            });
        });
    }

    /**
     * How far an observer's global store is from covering the token for a key of this partition, or null when it
     * covers it (docs/consistency.md, "Observers"). {@code applied} is the store's consumer position of the output
     * partition ({@code windows}: of the windowed output topic); every committed record below it is applied.
     * <ul>
     *   <li>What an observer was read at, of the same topic: {@code applied} is at least that.</li>
     *   <li>Anything else (writes, a word-count copy's position, an observer's position of the other topic): first the
     *       transactions that made it have committed (for writes: the group's committed input offsets pass them, and
     *       then its committed offset of the repartition partition passes the repartition topic's end offset taken
     *       then; for a seen position: that committed offset passes it; an observer's position of the other topic was
     *       committed when it was read). Their output records were written before they committed, so they lie below
     *       the output partition's end offset E taken then: {@code applied} reaches E.</li>
     * </ul>
     */
    public CompletionStage<String> observerBehind(ConsistencyToken token, boolean windows, int partition, long applied,
                                           Map<String, Long> state) {
        Long sameTopic = (windows ? token.observedWindows() : token.observed()).get(partition);
        if (sameTopic != null && applied < sameTopic) {
            return CompletableFuture.completedFuture("this observer is " + (sameTopic - applied)
                    + " records behind a read already made");
        }
        boolean otherTopic = (windows ? token.observed() : token.observedWindows()).containsKey(partition);
        Long seen = token.positions().get(partition);
        boolean writes = token.writesConcern(partition);
        if (!writes && seen == null && !otherTopic) {
            return CompletableFuture.completedFuture(null);
        }
        // The lines' words reach the repartition topic (below its end offset taken once the input is committed), then
        // their counts reach the output topics in the transactions that commit those repartition offsets.
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        CompletionStage<String> made = !writes ? CompletableFuture.completedFuture(null)
                : inputCommitted(token).thenCompose(behind -> behind != null ? CompletableFuture.completedFuture(behind)
                        : offsetOnce(state, "repartition", repartition, IsolationLevel.READ_UNCOMMITTED)
                                .thenCompose(end -> repartitionCommitted(partition, end)));
        return made.thenCompose(behind -> behind != null || seen == null ? CompletableFuture.completedFuture(behind)
                : repartitionCommitted(partition, seen + 1)).thenCompose(behind -> {
            if (behind != null) {
                return CompletableFuture.completedFuture(behind);
            }
            TopicPartition output = new TopicPartition(windows ? settings.windowedOutputTopic() : settings.outputTopic(),
                    partition);
            return offsetOnce(state, "output", output, IsolationLevel.READ_UNCOMMITTED).thenApply(end -> applied >= end
                    ? null : "this observer has " + (end - applied) + " records of " + output.topic() + " to apply");
        });
    }

    /** Null once the group has committed the repartition partition up to {@code offset}, else why not. */
    private CompletionStage<String> repartitionCommitted(int partition, long offset) {
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        return groupOffsets(false).thenCompose(cached -> cached.getOrDefault(repartition, 0L) >= offset
                ? CompletableFuture.completedFuture(null)
                : groupOffsets(true).thenApply(fresh -> fresh.getOrDefault(repartition, 0L) >= offset ? null
                        : "the counts read at a word-count instance are not committed yet"));
    }

    /** Null once the application has committed its input past every write of the token, else why not. */
    private CompletionStage<String> inputCommitted(ConsistencyToken token) {
        return groupOffsets(false).thenCompose(cached -> {
            if (inputBehind(token, cached) == null) {
                return CompletableFuture.completedFuture(null);
            }
            return groupOffsets(true).thenApply(fresh -> inputBehind(token, fresh));
        });
    }

    private String inputBehind(ConsistencyToken token, Map<TopicPartition, Long> committed) {
        for (Map.Entry<Integer, Long> w : token.writes().entrySet()) {
            Long c = committed.get(new TopicPartition(settings.inputTopic(), w.getKey()));
            if (c == null || c < w.getValue()) {
                return "the lines written are not processed yet (input partition " + w.getKey() + ": "
                        + (c == null ? "nothing" : c) + " of " + w.getValue() + " committed)";
            }
        }
        return null;
    }

    /**
     * The changelog's last stable offset C once it covers the counts just committed, or -1 while it does not yet. The
     * counts' changelog records were acknowledged before their transaction committed, so they lie below the end offset
     * taken now; once the last stable offset passes that end, every transaction below it has its marker. One producer
     * writes a changelog partition (its active task's), one transaction after the other, so the offset just below C is
     * that producer's last marker: a copy that has applied every record before C-1 holds the counts, though its
     * position (the offset after the last record applied) never passes that marker.
     */
    private CompletionStage<Long> changelogTarget(String store, int partition, Map<String, Long> state, String prefix) {
        Long known;
        synchronized (state) {
            known = state.get(prefix + "changelog");
        }
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        TopicPartition changelog = new TopicPartition(Names.changelogTopic(settings.countingApplicationId(), store), partition);
        return offsetOnce(state, prefix + "changelogEnd", changelog, IsolationLevel.READ_UNCOMMITTED).thenCompose(end ->
                listOffsets(Map.of(changelog, OffsetSpec.latest()), IsolationLevel.READ_COMMITTED).thenApply(lso -> {
                    long stable = lso.getOrDefault(changelog, 0L);
                    if (stable < end) {
                        return -1L;
                    }
                    synchronized (state) {
                        state.put(prefix + "changelog", stable);
                    }
                    return stable;
                }));
    }

    /** An end offset taken once per request (kept in {@code state} under {@code name}). */
    private CompletionStage<Long> offsetOnce(Map<String, Long> state, String name, TopicPartition tp,
                                             IsolationLevel isolation) {
        synchronized (state) {
            Long known = state.get(name);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
        }
        return listOffsets(Map.of(tp, OffsetSpec.latest()), isolation).thenApply(offsets -> {
            long offset = offsets.getOrDefault(tp, 0L);
            synchronized (state) {
                return state.computeIfAbsent(name, k -> offset);
            }
        });
    }

    private long localCommitted(TopicPartition repartition) {
        KafkaStreams streams = lifecycle.streams();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
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

    /**
     * The group's committed offsets: the cached ones when they are at most 20 ms old and {@code fresh} is false, else
     * asked anew (one question at a time, shared by every request that needs it then).
     */
    private CompletionStage<Map<TopicPartition, Long>> groupOffsets(boolean fresh) {
        if (!fresh && System.nanoTime() - groupOffsetsAt <= GROUP_OFFSETS_MAX_AGE_NANOS) {
            return CompletableFuture.completedFuture(groupOffsets);
        }
        CompletableFuture<Map<TopicPartition, Long>> inFlight = groupOffsetsInFlight;
        if (inFlight != null && !inFlight.isDone()) {
            return inFlight;
        }
        synchronized (this) {
            if (groupOffsetsInFlight != null && !groupOffsetsInFlight.isDone()) {
                return groupOffsetsInFlight;
            }
            long asked = System.nanoTime();
            CompletableFuture<Map<TopicPartition, Long>> next = admin().listConsumerGroupOffsets(settings.countingApplicationId())
                    .partitionsToOffsetAndMetadata().toCompletionStage().toCompletableFuture()
                    .orTimeout(settings.forwardTimeoutMs(), TimeUnit.MILLISECONDS)
                    .handle((offsets, e) -> {
                        if (e != null) {
                            throw ApiError.notReady("Kafka cannot be asked for the application's progress right now");
                        }
                        Map<TopicPartition, Long> out = new HashMap<>();
                        offsets.forEach((tp, om) -> {
                            if (om != null) {
                                out.put(tp, om.offset());
                            }
                        });
                        groupOffsets = out;
                        groupOffsetsAt = asked;
                        return out;
                    });
            groupOffsetsInFlight = next;
            return next;
        }
    }

    private CompletionStage<Map<TopicPartition, Long>> listOffsets(Map<TopicPartition, OffsetSpec> specs,
                                                                 IsolationLevel isolation) {
        return admin().listOffsets(specs, new ListOffsetsOptions(isolation)).all().toCompletionStage()
                .toCompletableFuture().orTimeout(settings.forwardTimeoutMs(), TimeUnit.MILLISECONDS)
                .handle((infos, e) -> {
                    if (e != null) {
                        throw ApiError.notReady("Kafka cannot be asked for offsets right now");
                    }
                    Map<TopicPartition, Long> out = new HashMap<>();
                    infos.forEach((tp, info) -> out.put(tp, info.offset()));
                    return out;
                });
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties props = new Properties();
                    settings.kafkaClient().forEach((k, v) -> {
                        if (AdminClientConfig.configNames().contains(k)) {
                            props.put(k, v);
                        }
                    });
                    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
                    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, settings.forwardTimeoutMs());
                    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, settings.forwardTimeoutMs());
                    admin = Admin.create(props);
                }
                a = admin;
            }
        }
        return a;
    }

    @Override
    protected void doStop() {
        Admin a = admin;
        admin = null;
        if (a != null) {
            a.close(java.time.Duration.ofSeconds(2));
        }
    }
}
