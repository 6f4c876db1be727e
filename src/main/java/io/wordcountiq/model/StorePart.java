package io.wordcountiq.model;

import java.util.List;
import java.util.Set;

/** One instance's part of a whole-store answer: its entries, sorted by key, and the partitions they come from. */
public record StorePart(String host, List<KeyValueBean> entries, Set<Integer> partitions) {
}
