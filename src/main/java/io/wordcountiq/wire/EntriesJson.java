package io.wordcountiq.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wordcountiq.model.AsyncBody;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one home of the entries' wire form, [{"key":…,"value":…}], with Jackson's streaming API and without ever
 * holding a whole store: a bounded list as one string (pages), an {@link EntrySource} as an {@link AsyncBody} written
 * while the client reads it, and a peer's part parsed as it arrives ({@link PeerEntries}).
 */
public final class EntriesJson {

    public static final JsonFactory FACTORY = Json.MAPPER.getFactory();
    /** About this many bytes per chunk of a streamed answer. */
    static final int CHUNK = 16 * 1024;

    private EntriesJson() {
    }

    /** A bounded list as one String (pages, tests). */
    public static String write(List<KeyValueBean> entries) {
        StringWriter out = new StringWriter(entries.size() * 28 + 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (KeyValueBean e : entries) {
                writeEntry(g, e);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The entries as a JSON array written chunk by chunk as the client takes them. {@code release} runs once when the
     * body ends, fails or is cancelled (the source is closed then too). A source that fails half way fails the body:
     * the answer is cut, never completed.
     */
    public static AsyncBody body(EntrySource source, Runnable release) {
        return new AsyncBody() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK + 1024);
            private final JsonGenerator generator = generator(buffer);
            private boolean started;
            private boolean finished;
            private boolean released;

            @Override
            public void next(Sink sink) {
                if (finished) {
                    releaseOnce();
                    sink.end();
                    return;
                }
                try {
                    if (!started) {
                        generator.writeStartArray();
                        started = true;
                    }
                    while (buffer.size() < CHUNK && source.peek() != null) {
                        writeEntry(generator, source.take());
                    }
                    if (source.failure() != null) {
                        releaseOnce();
                        sink.fail(source.failure());
                        return;
                    }
                    if (source.done()) {
                        generator.writeEndArray();
                        finished = true;
                    }
                    generator.flush();
                } catch (IOException | RuntimeException e) {
                    releaseOnce();
                    sink.fail(e);
                    return;
                }
                if (buffer.size() > 0 && (buffer.size() >= CHUNK || finished || !source.ready())) {
                    byte[] chunk = buffer.toByteArray();
                    buffer.reset();
                    sink.chunk(chunk);
                    return;
                }
                if (finished) {
                    releaseOnce();
                    sink.end();
                    return;
                }
                source.demand(() -> next(sink));
            }

            @Override
            public void cancel() {
                finished = true;
                releaseOnce();
            }

            private void releaseOnce() {
                if (!released) {
                    released = true;
                    try {
                        source.close();
                    } finally {
                        release.run();
                    }
                }
            }
        };
    }

    /** At most {@code max} entries of a source, as they arrive; the source is closed then. */
    public static CompletionStage<List<KeyValueBean>> collect(EntrySource source, int max) {
        CompletableFuture<List<KeyValueBean>> out = new CompletableFuture<>();
        new Object() {
            final List<KeyValueBean> entries = new ArrayList<>(Math.min(max, 1024));

            void more() {
                while (entries.size() < max && source.peek() != null) {
                    entries.add(source.take());
                }
                if (source.failure() != null) {
                    source.close();
                    out.completeExceptionally(source.failure());
                } else if (entries.size() >= max || source.done()) {
                    source.close();
                    out.complete(entries);
                } else {
                    source.demand(this::more);
                }
            }
        }.more();
        return out;
    }

    private static JsonGenerator generator(ByteArrayOutputStream out) {
        try {
            return FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeEntry(JsonGenerator g, KeyValueBean e) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", e.key());
        g.writeNumberField("value", e.value());
        g.writeEndObject();
    }
}
