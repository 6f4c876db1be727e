package io.wordcountiq.model;

import java.util.function.Consumer;

/**
 * Bytes that arrive asynchronously, with back-pressure: a peer's streamed answer. Nothing is delivered before
 * {@link #start}, and nothing while paused.
 */
public interface ChunkStream {

    /**
     * Starts the flow, once: {@code chunks} gets each chunk as it arrives, then {@code end} is called once, with null
     * at the end of the body or with the failure that cut it.
     */
    void start(Consumer<byte[]> chunks, Consumer<Throwable> end);

    void pause();

    void resume();

    /** Not read to the end: the connection is dropped rather than drained. Safe to call more than once. */
    void cancel();
}
