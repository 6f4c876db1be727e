package io.wordcountiq.model;

import java.util.NoSuchElementException;

/**
 * An {@link EntrySource} that reads one entry ahead: {@link #peek()} is the entry read last, {@link #next()} takes it
 * and reads the one after. A subclass says how to read ({@link #read()}) and calls {@link #readFirst()} once it is
 * set up, so the first entry is read when the source is made (a whole-store answer decides its status on it).
 */
public abstract class LookaheadSource implements EntrySource {

    private KeyValueBean next;

    /** Reads the first entry; called once, at the end of the subclass's construction. */
    protected final void readFirst() {
        next = read();
    }

    /** The next entry of the underlying source, or null at its end. */
    protected abstract KeyValueBean read();

    @Override
    public final KeyValueBean peek() {
        return next;
    }

    @Override
    public final KeyValueBean next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        KeyValueBean out = next;
        next = read();
        return out;
    }
}
