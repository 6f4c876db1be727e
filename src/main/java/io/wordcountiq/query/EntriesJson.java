package io.wordcountiq.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.LookaheadSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * [{"key":…,"value":…}] with Jackson's streaming API, both ways and without ever holding a whole store: an entry
 * source is written out as an InputStream that serializes entries as it is read, and a peer's streamed part is
 * parsed entry by entry.
 */
final class EntriesJson {

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private EntriesJson() {
    }

    /** A bounded list as one String (pages, tests). */
    static String write(List<KeyValueBean> entries) {
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
     * The entries as a JSON array that is serialized while it is read, about 16 KiB at a time; closing the stream
     * closes the source. A source that fails half way makes the read fail: the answer is cut, never completed.
     */
    static InputStream stream(EntrySource source) {
        return new InputStream() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(32 * 1024);
            private final JsonGenerator generator = generator(buffer);
            private byte[] chunk = new byte[0];
            private int pos;
            private boolean started;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos == chunk.length) {
                    if (ended) {
                        return -1;
                    }
                    fill();
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            private void fill() throws IOException {
                try {
                    if (!started) {
                        generator.writeStartArray();
                        started = true;
                    }
                    while (buffer.size() < 16 * 1024 && source.hasNext()) {
                        writeEntry(generator, source.next());
                    }
                    if (!source.hasNext()) {
                        generator.writeEndArray();
                        ended = true;
                        source.close();
                    }
                    generator.flush();
                } catch (RuntimeException e) {
                    source.close();
                    throw new IOException("a part of the answer failed: " + e.getMessage(), e);
                }
                chunk = buffer.toByteArray();
                buffer.reset();
                pos = 0;
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /** Parses a streamed part entry by entry; closing the source closes {@code in}. */
    static EntrySource read(InputStream in) {
        try {
            JsonParser p = FACTORY.createParser(in);
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("expected an array");
            }
            return new LookaheadSource() {
                private boolean closed;

                {
                    readFirst();
                }

                /** The next entry; the stream is closed at its end. */
                @Override
                protected KeyValueBean read() {
                    KeyValueBean entry = parseNext();
                    if (entry == null) {
                        close();
                    }
                    return entry;
                }

                private KeyValueBean parseNext() {
                    try {
                        if (p.nextToken() != JsonToken.START_OBJECT) {
                            return null;
                        }
                        String key = null;
                        long value = 0;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            p.nextToken();
                            if ("key".equals(field)) {
                                key = p.getText();
                            } else if ("value".equals(field)) {
                                value = p.getLongValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (key == null) {
                            throw new IOException("an entry without a key");
                        }
                        return new KeyValueBean(key, value);
                    } catch (IOException e) {
                        close();
                        throw new IllegalStateException("unreadable entries from a peer: " + e.getMessage(), e);
                    }
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        try {
                            p.close();
                            in.close();
                        } catch (IOException ignored) {
                            // The connection is dropped either way.
                        }
                    }
                }
            };
        } catch (IOException e) {
            throw new IllegalStateException("unreadable entries from a peer: " + e.getMessage(), e);
        }
    }

    /** At most {@code limit} entries of a source (a page's part), then the source is closed. */
    static List<KeyValueBean> take(EntrySource source, int limit) {
        List<KeyValueBean> out = new ArrayList<>(Math.min(limit, 1024));
        try (source) {
            while (out.size() < limit && source.hasNext()) {
                out.add(source.next());
            }
        }
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
