package io.wordcountiq.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client has written or seen, as a read must cover it (X-IQ-Token). Two kinds of facts:
 * <ul>
 *   <li>{@code writes}: input-topic partition → the offset just after the last line the client wrote there
 *       (from POST /lines). A read covers it once the application has committed its input past those offsets and
 *       the copy read holds every count record derived from them.</li>
 *   <li>{@code positions}: count-store partition → a position the client has seen (the offset in the store's
 *       repartition topic of the last record applied to the copy it read). A read covers it when its copy's position
 *       is at least that: reads never go back.</li>
 * </ul>
 * Tokens only grow: {@link #merge} keeps the later fact of each partition.
 */
public record ConsistencyToken(Map<Integer, Long> writes, Map<Integer, Long> positions) {

    public static final ConsistencyToken NONE = new ConsistencyToken(Map.of(), Map.of());

    public ConsistencyToken {
        writes = Map.copyOf(writes);
        positions = Map.copyOf(positions);
    }

    public boolean isEmpty() {
        return writes.isEmpty() && positions.isEmpty();
    }

    /** The later fact of each partition of both tokens. */
    public ConsistencyToken merge(ConsistencyToken other) {
        if (other == null || other.isEmpty()) {
            return this;
        }
        return new ConsistencyToken(max(writes, other.writes), max(positions, other.positions));
    }

    /** This token with a position seen on one store partition. */
    public ConsistencyToken withPosition(int partition, long position) {
        return merge(new ConsistencyToken(Map.of(), Map.of(partition, position)));
    }

    private static Map<Integer, Long> max(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Math::max));
        return out;
    }
}
