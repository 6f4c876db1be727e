package io.wordcountiq.model;

import java.util.Iterator;
import java.util.NoSuchElementException;

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
        return new EntrySource() {
            private KeyValueBean next = it.hasNext() ? it.next() : null;

            @Override
            public KeyValueBean peek() {
                return next;
            }

            @Override
            public KeyValueBean next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                KeyValueBean out = next;
                next = it.hasNext() ? it.next() : null;
                return out;
            }

            @Override
            public void close() {
            }
        };
    }
}
