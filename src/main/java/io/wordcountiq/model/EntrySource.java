package io.wordcountiq.model;

/**
 * Entries of a store in key order ({@link KeyOrder}) that arrive asynchronously: a local partition read in batches on
 * a pool of its own, a peer's streamed part, a merge of several. Used on one thread at a time (the request's event
 * loop); nothing here blocks. Closing it releases what it holds (store iterators, a connection to a peer).
 */
public interface EntrySource {

    /** The next entry if one is here now; null when none is yet (then {@link #demand}) or none will come. */
    KeyValueBean peek();

    /** Takes the entry {@link #peek} returned. */
    KeyValueBean take();

    /** No entry will come any more: every one was taken, or the source failed ({@link #failure()}). */
    boolean done();

    /** Why the source stopped before its end, or null. */
    Throwable failure();

    /**
     * Asks for more entries: {@code ready} runs once, on the request's event loop, when {@link #peek} has an entry or
     * {@link #done} is true. Only called when neither holds.
     */
    void demand(Runnable ready);

    /** Releases what the source holds; safe to call more than once, and while a demand is pending. */
    void close();

    /** Whether {@link #peek} or {@link #done} can answer now without a demand. */
    default boolean ready() {
        return peek() != null || done();
    }
}
