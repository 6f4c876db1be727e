package io.wordcountiq.model;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one wire form of a set of partition numbers, {@code 1,3,5}: the {@code X-IQ-Partitions} header of a peer's
 * whole-store part (the partitions it covers) and the {@code ?partitions=} parameter of a hop (the partitions asked).
 */
public final class PartitionList {

    /** The most partition numbers one list may hold. */
    public static final int MAX = 1024;

    private PartitionList() {
    }

    /** The partitions in ascending order, comma-separated; empty for none. */
    public static String format(Set<Integer> partitions) {
        return new TreeSet<>(partitions).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * The partitions of a list; empty for null or an empty list. Every item is a partition number of at most six
     * digits, at most {@link #MAX} of them; anything else is an {@link IllegalArgumentException}.
     */
    public static Set<Integer> parse(String list) {
        if (list == null || list.isEmpty()) {
            return Collections.emptySet();
        }
        Set<Integer> out = new TreeSet<>();
        for (String p : list.split(",", MAX + 1)) {
            if (p.isEmpty() || p.length() > 6 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || out.size() >= MAX) {
                throw new IllegalArgumentException("not a list of partition numbers: " + list);
            }
            out.add(Integer.parseInt(p));
        }
        return out;
    }
}
