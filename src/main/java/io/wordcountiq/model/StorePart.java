package io.wordcountiq.model;

import java.util.Set;

/**
 * One instance's part of a whole-store answer: its entries, in key order and arriving as they are read, the
 * partitions they come from, the positions read (a consistency token), and how stale it may be.
 *
 * @param lag null when every partition was read from its processing active copy; else the largest offset lag of the
 *            other copies read (standbys, restoring actives), -1 when one of them is not known
 */
public record StorePart(String host, EntrySource entries, Set<Integer> partitions, ConsistencyToken token, Long lag) {

    public StorePart(String host, EntrySource entries, Set<Integer> partitions) {
        this(host, entries, partitions, ConsistencyToken.NONE, null);
    }

    public StorePart(String host, EntrySource entries, Set<Integer> partitions, ConsistencyToken token) {
        this(host, entries, partitions, token, null);
    }

    /** The larger staleness of two parts (null: fresh; -1: unknown, which wins). */
    public static Long staler(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a < 0 || b < 0 ? Long.valueOf(-1) : Long.valueOf(Math.max(a, b));
    }
}
