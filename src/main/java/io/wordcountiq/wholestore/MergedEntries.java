package io.wordcountiq.wholestore;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A k-way merge of sources that are each in key order, into one source in key order. Keys of different partitions
 * never collide; during a rebalance two copies may briefly both answer for one key, and the higher count (the newer)
 * wins. The next entry is known once every source has one (or has ended); a demand asks every source that has none.
 * A source that fails makes the merge fail: an answer is cut, never completed without a part.
 */
final class MergedEntries implements EntrySource {

    private final List<EntrySource> sources;
    private KeyValueBean next;
    private boolean done;
    private Throwable failure;

    MergedEntries(List<? extends EntrySource> sources) {
        this.sources = new ArrayList<>(sources);
        advance();
    }

    /** Finds the next entry if every source can say what its next is; leaves it null otherwise. */
    private void advance() {
        if (next != null || done) {
            return;
        }
        EntrySource smallest = null;
        for (EntrySource source : sources) {
            if (!source.ready()) {
                return;
            }
            if (source.failure() != null) {
                failure = source.failure();
                done = true;
                return;
            }
            KeyValueBean head = source.peek();
            if (head != null && (smallest == null || head.compareTo(smallest.peek()) < 0)) {
                smallest = source;
            }
        }
        if (smallest == null) {
            done = true;
            return;
        }
        KeyValueBean best = smallest.take();
        // Another copy of the same key (a rebalance): the higher count wins. Those sources are ready too, as above;
        // taking from one may leave it not ready, which the next advance sees.
        for (EntrySource source : sources) {
            KeyValueBean head = source.peek();
            if (source != smallest && head != null && head.key().equals(best.key())) {
                KeyValueBean same = source.take();
                if (same.value() > best.value()) {
                    best = same;
                }
            }
        }
        next = best;
    }

    @Override
    public KeyValueBean peek() {
        advance();
        return next;
    }

    @Override
    public KeyValueBean take() {
        KeyValueBean out = peek();
        next = null;
        return out;
    }

    @Override
    public boolean done() {
        advance();
        return next == null && done;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public void demand(Runnable ready) {
        demandAll(sources, ready);
    }

    /** Runs {@code ready} once every source can say what its next entry is (or that it has none). */
    static void demandAll(List<? extends EntrySource> sources, Runnable ready) {
        List<EntrySource> waiting = sources.stream().filter(s -> !s.ready()).map(s -> (EntrySource) s).toList();
        if (waiting.isEmpty()) {
            ready.run();
            return;
        }
        int[] left = {waiting.size()};
        for (EntrySource source : waiting) {
            source.demand(() -> {
                if (--left[0] == 0) {
                    ready.run();
                }
            });
        }
    }

    @Override
    public void close() {
        RuntimeException failed = null;
        for (EntrySource source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
