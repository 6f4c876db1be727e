package io.wordcountiq.model;

import java.util.Set;

/**
 * One instance's part of a whole-store answer: its entries, in key order and read as they are needed, and the
 * partitions they come from.
 */
public record StorePart(String host, EntrySource entries, Set<Integer> partitions) {
}
