package io.wordcountiq.lookup;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.wire.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** The bodies of a key lookup's answer, the same from any copy: a count or its absence, or a key's windows. */
final class Answers {

    private Answers() {
    }

    static QueryResult keyValue(KeyRequest request, Long value, Copy copy, ConsistencyToken token) {
        if (value == null) {
            return new Absent(request.key(), copy, token);
        }
        return new Found(Json.write(new KeyValueBean(request.key(), value)), copy, token);
    }

    /** Every window of the key, as {@code key@windowStart}; closes the iterator. */
    static QueryResult windows(WindowRequest request, WindowStoreIterator<?> iterator, Copy copy,
                               ConsistencyToken token) {
        List<KeyValueBean> windows = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                KeyValue<Long, ?> window = iterator.next();
                // A timestamped window store answers ValueAndTimestamp to a WindowKeyQuery (KeyQuery unwraps it).
                Object value = window.value instanceof ValueAndTimestamp<?> vt ? vt.value() : window.value;
                windows.add(new KeyValueBean(request.key() + "@" + window.key, ((Number) value).longValue()));
            }
        }
        return new Found(Json.write(windows), copy, token);
    }
}
