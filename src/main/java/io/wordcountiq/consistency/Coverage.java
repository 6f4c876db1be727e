package io.wordcountiq.consistency;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a copy covers a token, decided from offsets already taken (docs/consistency.md): each decision answers null
 * when the copy covers the fact, else why not. The offsets are taken by {@link CopyChecks} and {@link ObserverChecks}.
 */
public final class Coverage {

    private Coverage() {
    }

    /** A read is at least as far as every read of the partition the token saw (reads never go back). */
    public static String positionBehind(ConsistencyToken token, int partition, long position) {
        Long seen = token.positions().get(partition);
        if (seen != null && position < seen) {
            return "it is " + (seen - position) + " records behind a read already made";
        }
        return null;
    }

    /** The group's committed input offsets pass every write of the token. */
    static String inputBehind(ConsistencyToken token, Map<TopicPartition, Long> committed, String inputTopic) {
        for (Map.Entry<Integer, Long> w : token.writes().entrySet()) {
            Long c = committed.get(new TopicPartition(inputTopic, w.getKey()));
            if (c == null || c < w.getValue()) {
                return "the lines written are not processed yet (input partition " + w.getKey() + ": "
                        + (c == null ? "nothing" : c) + " of " + w.getValue() + " committed)";
            }
        }
        return null;
    }

    /**
     * A copy covers the repartition partition up to {@code target} without asking Kafka: there is nothing to apply, or
     * it is the active copy and has applied the record at target-1.
     */
    static boolean appliedByPosition(Copy.Kind kind, long position, long target) {
        return target == 0 || (kind == Copy.Kind.ACTIVE && position >= target - 1);
    }

    /**
     * The active copy, once its task's committed offset did not reach {@code target}: the group's offset moves on
     * only as the counts are committed with it (exactly-once), and this copy is the one that commits them.
     */
    static String activeBehind(long position, long taskCommitted, Long groupCommitted, long target) {
        return committed(groupCommitted, target) ? null : "the counts of the lines are not applied yet ("
                + (target - 1 - Math.max(position, taskCommitted - 1)) + " records to go)";
    }

    /** A standby or restoring copy waits first for the group to commit the counts. */
    static String standbyCommitBehind(Long groupCommitted, long target) {
        return committed(groupCommitted, target) ? null : "the counts of the lines are not committed yet";
    }

    /**
     * The changelog offset a standby or restoring copy must reach: the last stable offset once it has passed the end
     * offset taken when the counts were committed (every transaction below it has its marker), else -1.
     */
    static long changelogTarget(long end, long lastStable) {
        return lastStable < end ? -1 : lastStable;
    }

    /**
     * A standby or restoring copy holds the counts once it has applied every record before the changelog target's
     * last commit marker (target-1), which its position never passes.
     */
    static String changelogBehind(long changelogTarget, long applied) {
        if (changelogTarget < 0) {
            return "the counts of the lines are not in the changelog yet";
        }
        return applied >= changelogTarget - 1 ? null
                : "this copy is " + (changelogTarget - 1 - applied) + " changelog records behind the lines written";
    }

    /** An observer is at least where an observer was read at, in the same output topic ({@code windows}). */
    static String observerReadBehind(ConsistencyToken token, boolean windows, int partition, long applied) {
        Long sameTopic = (windows ? token.observedWindows() : token.observed()).get(partition);
        if (sameTopic != null && applied < sameTopic) {
            return "this observer is " + (sameTopic - applied) + " records behind a read already made";
        }
        return null;
    }

    /**
     * An observer must wait for commits and the output's end offset when the token names writes of the partition, a
     * word-count copy's position of it, or an observer's position of it in the other output topic.
     */
    static boolean observerAwaitsCommits(ConsistencyToken token, boolean windows, int partition) {
        boolean otherTopic = (windows ? token.observed() : token.observedWindows()).containsKey(partition);
        return token.writesConcern(partition) || token.positions().get(partition) != null || otherTopic;
    }

    /** The group has committed the repartition partition up to {@code offset}. */
    static String repartitionBehind(Long committed, long offset) {
        return (committed == null ? 0L : committed) >= offset ? null
                : "the counts read at a word-count instance are not committed yet";
    }

    /** An observer has applied its output partition up to the end offset taken once the counts were committed. */
    static String outputBehind(long applied, long end, String topic) {
        return applied >= end ? null : "this observer has " + (end - applied) + " records of " + topic + " to apply";
    }

    private static boolean committed(Long groupCommitted, long target) {
        return groupCommitted != null && groupCommitted >= target;
    }
}
