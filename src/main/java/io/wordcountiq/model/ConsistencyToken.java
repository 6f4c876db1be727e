package io.wordcountiq.model;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a client has written or seen, as a read must cover it (X-IQ-Token). Three kinds of facts:
 * <ul>
 *   <li>{@code writes}: input-topic partition → the offset just after the last line the client wrote there
 *       (from POST /lines). A read covers it once the application has committed its input past those offsets and
 *       the copy read holds every count record derived from them.</li>
 *   <li>{@code touched}: the store partitions those lines' words count in. A read of a key in another partition is
 *       not affected by the writes, so it does not wait for them. Null when not known (a token of an earlier
 *       version): then every partition waits for the writes.</li>
 *   <li>{@code positions}: count-store partition → a position the client has seen (the offset in the store's
 *       repartition topic of the last record applied to the copy it read). A read covers it when its copy's position
 *       is at least that: reads never go back.</li>
 *   <li>{@code observed}, {@code observedWindows}: output-topic partition → the position an observer's global store
 *       had applied when the client read it (the consumer position of the output topic, or of the windowed output
 *       topic: every committed record below it is in the store). Output partition p holds the words of store
 *       partition p. An observer covers such a fact when its own position is at least that; a word-count copy once
 *       it has applied what the group had committed when it looks (the records below the position were produced by
 *       transactions that had committed by then).</li>
 * </ul>
 * Tokens only grow: {@link #merge} keeps the later fact of each partition.
 */
public record ConsistencyToken(Map<Integer, Long> writes, Set<Integer> touched, Map<Integer, Long> positions,
                               Map<Integer, Long> observed, Map<Integer, Long> observedWindows) {

    public static final ConsistencyToken NONE = new ConsistencyToken(Map.of(), Set.of(), Map.of());

    public ConsistencyToken {
        writes = Map.copyOf(writes);
        // Without writes, which partitions they touched is no fact at all.
        touched = writes.isEmpty() ? Set.of() : touched == null ? null : Set.copyOf(touched);
        positions = Map.copyOf(positions);
        observed = Map.copyOf(observed);
        observedWindows = Map.copyOf(observedWindows);
    }

    /** Writes and word-count positions only: what word-count instances mint. */
    public ConsistencyToken(Map<Integer, Long> writes, Set<Integer> touched, Map<Integer, Long> positions) {
        this(writes, touched, positions, Map.of(), Map.of());
    }

    /** Lines written to these input partitions, whose words count in the {@code touched} store partitions. */
    public static ConsistencyToken written(Map<Integer, Long> writes, Set<Integer> touched) {
        return new ConsistencyToken(writes, touched, Map.of());
    }

    public boolean isEmpty() {
        return writes.isEmpty() && positions.isEmpty() && observed.isEmpty() && observedWindows.isEmpty();
    }

    /** Whether an observer's read of a key in this store partition has something to cover. */
    public boolean concerns(int partition) {
        return writesConcern(partition) || positions.containsKey(partition) || observedConcern(partition);
    }

    /**
     * Whether a word-count copy of this store partition must check the group's committed offsets for the token: its
     * writes concern the partition, or it names what an observer was read at there.
     */
    public boolean committedConcern(int partition) {
        return writesConcern(partition) || observedConcern(partition);
    }

    /** Whether the token names what an observer saw of this partition (either output topic). */
    public boolean observedConcern(int partition) {
        return observed.containsKey(partition) || observedWindows.containsKey(partition);
    }

    /** Every store partition the token names: those of its facts, and those its writes touched. */
    public Set<Integer> partitions() {
        Set<Integer> out = new TreeSet<>(writes.isEmpty() ? Set.of() : touched == null ? Set.of() : touched);
        out.addAll(positions.keySet());
        out.addAll(observed.keySet());
        out.addAll(observedWindows.keySet());
        return out;
    }

    /** Whether a read of this store partition must wait for the token's writes. */
    public boolean writesConcern(int partition) {
        return !writes.isEmpty() && (touched == null || touched.contains(partition));
    }

    /** The later fact of each partition of both tokens. */
    public ConsistencyToken merge(ConsistencyToken other) {
        if (other == null || other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Set<Integer> allTouched;
        if (writes.isEmpty()) {
            allTouched = other.touched;
        } else if (other.writes.isEmpty()) {
            allTouched = touched;
        } else if (touched == null || other.touched == null) {
            allTouched = null;
        } else {
            allTouched = new TreeSet<>(touched);
            allTouched.addAll(other.touched);
        }
        return new ConsistencyToken(max(writes, other.writes), allTouched, max(positions, other.positions),
                max(observed, other.observed), max(observedWindows, other.observedWindows));
    }

    /** This token with a position seen on one store partition. */
    public ConsistencyToken withPosition(int partition, long position) {
        Long seen = positions.get(partition);
        if (seen != null && seen >= position) {
            return this;
        }
        Map<Integer, Long> more = new TreeMap<>(positions);
        more.put(partition, position);
        return new ConsistencyToken(writes, touched, more, observed, observedWindows);
    }

    /**
     * This token with an observer's position of one output partition: of the output topic, or with {@code windows}
     * of the windowed output topic.
     */
    public ConsistencyToken withObserved(boolean windows, int partition, long position) {
        Map<Integer, Long> facts = windows ? observedWindows : observed;
        Long seen = facts.get(partition);
        if (seen != null && seen >= position) {
            return this;
        }
        Map<Integer, Long> more = new TreeMap<>(facts);
        more.put(partition, position);
        return windows ? new ConsistencyToken(writes, touched, positions, observed, more)
                : new ConsistencyToken(writes, touched, positions, more, observedWindows);
    }

    private static Map<Integer, Long> max(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Math::max));
        return out;
    }
}
