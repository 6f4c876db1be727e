package io.wordcountiq.model;

import java.util.Iterator;

/**
 * Entries of a store in key order ({@link KeyOrder}), read as they are needed: one partition's
 * iterator, one peer's streamed part, or a merge of several. Closing it releases what it holds (a RocksDB iterator,
 * an HTTP connection). Whole-store answers never hold more than one entry per source.
 */
public interface EntrySource extends Iterator<KeyValueBean>, AutoCloseable {

    /** The next entry without taking it, or null at the end. */
    KeyValueBean peek();

    @Override
    default boolean hasNext() {
        return peek() != null;
    }

    @Override
    void close();

    /** A source over entries already in memory (a small, bounded list). */
    static EntrySource of(java.util.List<KeyValueBean> entries) {
        Iterator<KeyValueBean> it = entries.iterator();
        return new LookaheadSource() {
            {
                readFirst();
            }

            @Override
            protected KeyValueBean read() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public void close() {
            }
        };
    }
}
