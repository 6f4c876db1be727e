package io.wordcountiq.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import io.wordcountiq.model.KeyValueBean;

/**
 * [{"key":…,"value":…}] with Jackson's streaming API: whole-store answers hold tens of thousands of entries, and
 * data binding of records was the largest cost of an "all" query.
 */
final class EntriesJson {

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private EntriesJson() {
    }

    static String write(List<KeyValueBean> entries) {
        StringWriter out = new StringWriter(entries.size() * 28 + 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (KeyValueBean e : entries) {
                g.writeStartObject();
                g.writeStringField("key", e.key());
                g.writeNumberField("value", e.value());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<KeyValueBean> read(byte[] json) {
        List<KeyValueBean> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("expected an array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
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
                out.add(new KeyValueBean(key, value));
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable entries from a peer: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Merges parts that are each sorted by key into one sorted list. Keys of different partitions never collide;
     * during a rebalance two parts may briefly hold one key, and the higher count (the newer) wins.
     */
    static List<KeyValueBean> merge(List<List<KeyValueBean>> parts) {
        int size = parts.stream().mapToInt(List::size).sum();
        List<KeyValueBean> all = new ArrayList<>(size);
        parts.forEach(all::addAll);
        all.sort(null);
        List<KeyValueBean> out = new ArrayList<>(size);
        for (KeyValueBean e : all) {
            int last = out.size() - 1;
            if (last >= 0 && out.get(last).key().equals(e.key())) {
                if (e.value() > out.get(last).value()) {
                    out.set(last, e);
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
