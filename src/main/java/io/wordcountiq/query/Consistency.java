package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.query.Position;

/**
 * Whether a copy of a store partition covers a consistency token, in the offsets Kafka gives (see
 * docs/consistency.md):
 * <ul>
 *   <li>Seen positions: the copy's IQv2 position in the repartition topic is at least the token's. Reads never go
 *       back. Standbys advance their position from the changelog (the offset vector is enabled in the Streams
 *       configuration), so active and standby positions compare.</li>
 *   <li>Writes: first the application's committed offsets of the input topic pass the written offsets, so every count
 *       record derived from the lines was written to the repartition topic, below its end offset E taken then. The
 *       active copy covers the writes once it has applied the record at E-1 (its position), or its task's committed
 *       offset of that repartition partition reaches E (when E-1 is a transaction marker); a standby or a restoring
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

    public Consistency(StreamsLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.settings = lifecycle.settings();
        this.repartitionTopic = Names.repartitionTopic(settings.applicationId());
    }

    /** The repartition-topic position of a read, or -1 when the copy has applied nothing yet. */
    long positionOf(Position position, int partition) {
        if (position == null) {
            return -1;
        }
        Long p = position.getPartitionPositions(repartitionTopic).get(partition);
        return p == null ? -1 : p;
    }

    /** A token's writes must have happened: offsets beyond the input topic's end come from no write of this cluster. */
    void requirePlausible(ConsistencyToken token) {
        if (token.writes().isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        token.writes().keySet().forEach(p -> ends.put(new TopicPartition(settings.inputTopic(), p), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = listOffsets(ends, IsolationLevel.READ_UNCOMMITTED);
        token.writes().forEach((p, o) -> {
            Long e = end.get(new TopicPartition(settings.inputTopic(), p));
            if (e == null || o > e) {
                throw ApiError.badRequest("X-IQ-Token names writes this cluster never received (input partition " + p
                        + " offset " + o + ", end " + e + ")");
            }
        });
    }

    /**
     * How far a copy is from covering the token's writes, or null when it covers them. {@code position} is the copy's
     * position of the partition as a read found it (-1 for none); {@code state} keeps the offsets taken once per
     * request, so a request waits for fixed targets.
     */
    String writesBehind(ConsistencyToken token, String store, int partition, Copy copy, long position,
                        Map<String, Long> state) {
        if (token.writes().isEmpty()) {
            return null;
        }
        Map<TopicPartition, Long> committed = groupOffsets(false);
        for (Map.Entry<Integer, Long> w : token.writes().entrySet()) {
            Long c = committed.get(new TopicPartition(settings.inputTopic(), w.getKey()));
            if (c == null || c < w.getValue()) {
                committed = groupOffsets(true);
                c = committed.get(new TopicPartition(settings.inputTopic(), w.getKey()));
                if (c == null || c < w.getValue()) {
                    return "the lines written are not processed yet (input partition " + w.getKey() + ": "
                            + (c == null ? "nothing" : c) + " of " + w.getValue() + " committed)";
                }
            }
        }
        // Every count record derived from the lines was acknowledged before their transaction committed, so it lies
        // below the repartition topic's end offset taken now. (Not its last stable offset: a transaction's markers
        // are written after its group offsets show, so that offset may still stand before the records.)
        TopicPartition repartition = new TopicPartition(repartitionTopic, partition);
        long target = state.computeIfAbsent("repartition", k -> endOffset(repartition));
        if (copy.kind() == Copy.Kind.ACTIVE) {
            // Records are applied in offset order: a copy at position target-1 has applied every record below target
            // (when that offset is a transaction marker, its task's committed offset passes target instead).
            if (position >= target - 1) {
                return null;
            }
            long taskCommitted = localCommitted(repartition);
            return taskCommitted >= target ? null
                    : "the counts of the lines are not applied yet (" + (target - 1 - Math.max(position, taskCommitted - 1))
                    + " records to go)";
        }
        Long groupCommitted = groupOffsets(true).get(repartition);
        if (groupCommitted == null || groupCommitted < target) {
            return "the counts of the lines are not committed yet";
        }
        long changelogTarget = changelogTarget(store, partition, state);
        if (changelogTarget < 0) {
            return "the counts of the lines are not in the changelog yet";
        }
        long applied = changelogPosition(store, partition);
        return applied >= changelogTarget - 1 ? null
                : "this copy is " + (changelogTarget - 1 - applied) + " changelog records behind the lines written";
    }

    /**
     * The changelog's last stable offset C once it covers the counts just committed, or -1 while it does not yet. The
     * counts' changelog records were acknowledged before their transaction committed, so they lie below the end offset
     * taken now; once the last stable offset passes that end, every transaction below it has its marker. One producer
     * writes a changelog partition (its active task's), one transaction after the other, so the offset just below C is
     * that producer's last marker: a copy that has applied every record before C-1 holds the counts, though its
     * position (the offset after the last record applied) never passes that marker.
     */
    private long changelogTarget(String store, int partition, Map<String, Long> state) {
        Long known = state.get("changelog");
        if (known != null) {
            return known;
        }
        TopicPartition changelog = new TopicPartition(Names.changelogTopic(settings.applicationId(), store), partition);
        long end = state.computeIfAbsent("changelogEnd", k -> endOffset(changelog));
        long stable = lastStable(changelog);
        if (stable < end) {
            return -1;
        }
        state.put("changelog", stable);
        return stable;
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

    private Map<TopicPartition, Long> groupOffsets(boolean fresh) {
        long now = System.nanoTime();
        if (fresh || now - groupOffsetsAt > GROUP_OFFSETS_MAX_AGE_NANOS) {
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(settings.applicationId())
                        .partitionsToOffsetAndMetadata().get(settings.forwardTimeoutMs(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, Long> out = new HashMap<>();
                offsets.forEach((tp, om) -> {
                    if (om != null) {
                        out.put(tp, om.offset());
                    }
                });
                groupOffsets = out;
                groupOffsetsAt = now;
            } catch (Exception e) {
                throw ApiError.notReady("Kafka cannot be asked for the application's progress right now");
            }
        }
        return groupOffsets;
    }

    private long lastStable(TopicPartition tp) {
        Long lso = listOffsets(Map.of(tp, OffsetSpec.latest()), IsolationLevel.READ_COMMITTED).get(tp);
        return lso == null ? 0 : lso;
    }

    private long endOffset(TopicPartition tp) {
        Long end = listOffsets(Map.of(tp, OffsetSpec.latest()), IsolationLevel.READ_UNCOMMITTED).get(tp);
        return end == null ? 0 : end;
    }

    private Map<TopicPartition, Long> listOffsets(Map<TopicPartition, OffsetSpec> specs, IsolationLevel isolation) {
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin().listOffsets(specs, new ListOffsetsOptions(isolation)).all()
                    .get(settings.forwardTimeoutMs(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw ApiError.notReady("Kafka cannot be asked for offsets right now");
        }
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
