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
 * </ul>
 * Tokens only grow: {@link #merge} keeps the later fact of each partition.
 */
public record ConsistencyToken(Map<Integer, Long> writes, Set<Integer> touched, Map<Integer, Long> positions) {

    public static final ConsistencyToken NONE = new ConsistencyToken(Map.of(), Set.of(), Map.of());

    public ConsistencyToken {
        writes = Map.copyOf(writes);
        // Without writes, which partitions they touched is no fact at all.
        touched = writes.isEmpty() ? Set.of() : touched == null ? null : Set.copyOf(touched);
        positions = Map.copyOf(positions);
    }

    /** Lines written to these input partitions, whose words count in the {@code touched} store partitions. */
    public static ConsistencyToken written(Map<Integer, Long> writes, Set<Integer> touched) {
        return new ConsistencyToken(writes, touched, Map.of());
    }

    public boolean isEmpty() {
        return writes.isEmpty() && positions.isEmpty();
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
        return new ConsistencyToken(max(writes, other.writes), allTouched, max(positions, other.positions));
    }

    /** This token with a position seen on one store partition. */
    public ConsistencyToken withPosition(int partition, long position) {
        Long seen = positions.get(partition);
        if (seen != null && seen >= position) {
            return this;
        }
        Map<Integer, Long> more = new TreeMap<>(positions);
        more.put(partition, position);
        return new ConsistencyToken(writes, touched, more);
    }

    private static Map<Integer, Long> max(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Math::max));
        return out;
    }
}
