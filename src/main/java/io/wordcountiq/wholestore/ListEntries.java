package io.wordcountiq.wholestore;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import java.util.List;

/** A source over entries already in memory, in key order (a small, bounded list). */
class ListEntries implements EntrySource {

    private final List<KeyValueBean> entries;
    private int next;

    ListEntries(List<KeyValueBean> entries) {
        this.entries = List.copyOf(entries);
    }

    @Override
    public KeyValueBean peek() {
        return next < entries.size() ? entries.get(next) : null;
    }

    @Override
    public KeyValueBean take() {
        return entries.get(next++);
    }

    @Override
    public boolean done() {
        return next >= entries.size();
    }

    @Override
    public Throwable failure() {
        return null;
    }

    @Override
    public void demand(Runnable ready) {
        ready.run();
    }

    @Override
    public void close() {
        next = entries.size();
    }
}
