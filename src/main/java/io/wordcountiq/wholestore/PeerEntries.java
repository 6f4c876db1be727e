package io.wordcountiq.wholestore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.wordcountiq.model.ChunkStream;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.wire.EntriesJson;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * A peer's streamed part, [{"key":…,"value":…},…], parsed as its bytes arrive (Jackson's non-blocking parser): no
 * thread waits for the peer. At most {@link #HIGH} parsed entries wait to be merged; beyond that the peer's stream is
 * paused until the merge has taken half of them, so a slow client slows the peers instead of filling memory.
 */
final class PeerEntries implements EntrySource {

    static final int HIGH = 4096;

    private final ChunkStream stream;
    private final Executor loop;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final Deque<KeyValueBean> buffer = new ArrayDeque<>();
    private Runnable pending;
    private boolean paused;
    private boolean ended;
    private boolean closed;
    private Throwable failure;
    // parse state across chunks
    private boolean inArray;
    private String field;
    private String key;
    private long value;

    PeerEntries(ChunkStream stream, Executor loop) {
        this.stream = stream;
        this.loop = loop;
        try {
            this.parser = EntriesJson.FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        stream.start(bytes -> loop.execute(() -> feed(bytes)), end -> loop.execute(() -> finish(end)));
    }

    private void feed(byte[] bytes) {
        if (closed || ended) {
            return;
        }
        try {
            feeder.feedInput(bytes, 0, bytes.length);
            parse();
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        if (buffer.size() >= HIGH && !paused) {
            paused = true;
            stream.pause();
        }
        wake();
    }

    private void parse() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
            if (!inArray) {
                if (token != JsonToken.START_ARRAY) {
                    throw new IOException("expected an array of entries");
                }
                inArray = true;
            } else if (token == JsonToken.START_OBJECT) {
                key = null;
                value = 0;
            } else if (token == JsonToken.FIELD_NAME) {
                field = parser.currentName();
            } else if (token == JsonToken.VALUE_STRING && "key".equals(field)) {
                key = parser.getText();
            } else if (token == JsonToken.VALUE_NUMBER_INT && "value".equals(field)) {
                value = parser.getLongValue();
            } else if (token == JsonToken.END_OBJECT) {
                if (key == null) {
                    throw new IOException("an entry without a key");
                }
                buffer.addLast(new KeyValueBean(key, value));
            } else if (token == JsonToken.END_ARRAY) {
                inArray = false;
            }
        }
    }

    private void finish(Throwable cause) {
        if (closed || ended) {
            return;
        }
        ended = true;
        if (cause != null) {
            failure = cause;
        } else {
            feeder.endOfInput();
            try {
                parse();
            } catch (IOException e) {
                failure = e;
            }
            if (failure == null && inArray) {
                failure = new IOException("the part ended before its last entry");
            }
        }
        wake();
    }

    private void fail(Throwable cause) {
        failure = cause;
        ended = true;
        stream.cancel();
        wake();
    }

    private void wake() {
        Runnable ready = pending;
        if (ready != null && ready()) {
            pending = null;
            ready.run();
        }
    }

    @Override
    public KeyValueBean peek() {
        return failure != null ? null : buffer.peekFirst();
    }

    @Override
    public KeyValueBean take() {
        KeyValueBean out = buffer.pollFirst();
        if (paused && buffer.size() <= HIGH / 2 && !ended) {
            paused = false;
            stream.resume();
        }
        return out;
    }

    @Override
    public boolean done() {
        return failure != null || closed || (ended && buffer.isEmpty());
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public void demand(Runnable ready) {
        if (ready()) {
            ready.run();
        } else {
            pending = ready;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffer.clear();
            if (!ended) {
                // Not read to the end: drop the connection rather than drain a whole store.
                stream.cancel();
            }
            try {
                parser.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
