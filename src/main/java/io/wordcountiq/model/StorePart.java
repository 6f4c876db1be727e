package io.wordcountiq.model;

import java.util.Set;

/**
 * One instance's part of a whole-store answer: its entries, in key order and arriving as they are read, the
 * partitions they come from, and the positions read (a consistency token).
 */
public record StorePart(String host, EntrySource entries, Set<Integer> partitions, ConsistencyToken token) {

    public StorePart(String host, EntrySource entries, Set<Integer> partitions) {
        this(host, entries, partitions, ConsistencyToken.NONE);
    }
}
