package io.wordcountiq.query;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.LookaheadSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A k-way merge of sources that are each in key order, into one source in key order. Keys of different partitions
 * never collide; during a rebalance two copies may briefly both answer for one key, and the higher count (the newer)
 * wins. Holds one entry per source, whatever the size of the store.
 */
final class MergedEntries extends LookaheadSource {

    private record Head(KeyValueBean entry, EntrySource source) {
    }

    private final List<EntrySource> sources;
    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> a.entry().compareTo(b.entry()));

    MergedEntries(List<? extends EntrySource> sources) {
        this.sources = new ArrayList<>(sources);
        for (EntrySource source : this.sources) {
            advance(source);
        }
        readFirst();
    }

    private void advance(EntrySource source) {
        if (source.hasNext()) {
            heads.add(new Head(source.next(), source));
        }
    }

    /** The smallest key of the heads; of two copies of one key, the higher count. */
    @Override
    protected KeyValueBean read() {
        Head head = heads.poll();
        if (head == null) {
            return null;
        }
        KeyValueBean best = head.entry();
        advance(head.source());
        while (!heads.isEmpty() && heads.peek().entry().key().equals(best.key())) {
            Head same = heads.poll();
            if (same.entry().value() > best.value()) {
                best = same.entry();
            }
            advance(same.source());
        }
        return best;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (EntrySource source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
