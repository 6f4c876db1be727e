package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.streams.StreamsLifecycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's Kafka Streams state. A key that lives elsewhere is not an error here: the result is
 * {@link NotLocal}, and routes/local-or-forward decides where to ask next.
 */
public class LocalReads {

    private final StoreMetadata metadata;
    private final StreamsLifecycle lifecycle;

    public LocalReads(StoreMetadata metadata, StreamsLifecycle lifecycle) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
    }

    /** A key or windowed lookup: found here, absent here, not here at all, or not readable right now. */
    public QueryResult read(KeyLookup request) {
        if (request instanceof WindowRequest && metadata.isObserver()) {
            return new QueryResult.Failed(new ApiError(501, "observers keep the whole word-count table only; "
                    + "windowed counts are served by the word-count instances"));
        }
        String notReady = metadata.notQueryableReason();
        if (notReady != null) {
            return new Unavailable(notReady);
        }
        try {
            if (metadata.isObserver()) {
                return keyValue((KeyRequest) request, readGlobal(request.store(), request.key()), false);
            }
            Placement placement = metadata.placement(request.store(), request.key());
            Placement.Decision decision = placement.decide(request.localOnly());
            if (decision == Placement.Decision.FORWARD) {
                return new NotLocal(request, placement);
            }
            if (decision == Placement.Decision.NOT_HOSTED) {
                return new QueryResult.Failed(ApiError.notFound("key is not hosted on " + metadata.self()));
            }
            boolean stale = decision == Placement.Decision.READ_STANDBY;
            if (request instanceof WindowRequest window) {
                return windows(window, placement.partition(), stale);
            }
            KeyRequest key = (KeyRequest) request;
            return keyValue(key, readPartition(key, placement.partition(), stale), stale);
        } catch (ApiError e) {
            return e.status() == 503 ? new Unavailable(e.getMessage()) : new QueryResult.Failed(e);
        } catch (InvalidStateStoreException e) {
            return new Unavailable(metadata.isObserver()
                    ? "store '" + request.store() + "' is not ready yet"
                    : "store '" + request.store() + "' is being moved between instances; retry shortly");
        }
    }

    /** The keys of this instance's active partitions in [from, to] (both inclusive), or all of them, sorted. */
    public List<KeyValueBean> range(RangeRequest request) {
        KafkaStreams streams = metadata.requireQueryable();
        List<KeyValueBean> out = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, Long> kv = streams.store(StoreQueryParameters.fromNameAndType(
                    request.store(), QueryableStoreTypes.<String, Long>keyValueStore()));
            try (KeyValueIterator<String, Long> it = request.all() ? kv.all() : kv.range(request.from(), request.to())) {
                it.forEachRemaining(e -> out.add(new KeyValueBean(e.key, e.value)));
            }
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + request.store() + "' is being moved between instances; retry shortly");
        }
        out.sort(null);
        return out;
    }

    private static QueryResult keyValue(KeyRequest request, Long value, boolean stale) {
        if (value == null) {
            return new Absent(request.key());
        }
        return new Found(Json.write(new KeyValueBean(request.key(), value)), stale);
    }

    private QueryResult windows(WindowRequest request, int partition, boolean stale) {
        List<KeyValueBean> windows = new ArrayList<>();
        ReadOnlyWindowStore<String, Long> store = lifecycle.streams().store(withStale(StoreQueryParameters
                .fromNameAndType(request.store(), QueryableStoreTypes.<String, Long>windowStore())
                .withPartition(partition), stale));
        try (WindowStoreIterator<Long> it = store.fetch(request.key(), Instant.ofEpochMilli(request.from()),
                Instant.ofEpochMilli(request.to()))) {
            while (it.hasNext()) {
                KeyValue<Long, Long> window = it.next();
                windows.add(new KeyValueBean(request.key() + "@" + window.key, window.value));
            }
        }
        return new Found(Json.write(windows), stale);
    }

    private Long readPartition(KeyRequest request, int partition, boolean stale) {
        return lifecycle.streams().store(withStale(StoreQueryParameters
                .fromNameAndType(request.store(), QueryableStoreTypes.<String, Long>keyValueStore())
                .withPartition(partition), stale)).get(request.key());
    }

    private Long readGlobal(String store, String key) {
        return lifecycle.streams().store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.<String, Long>keyValueStore())).get(key);
    }

    private static <T> StoreQueryParameters<T> withStale(StoreQueryParameters<T> params, boolean stale) {
        return stale ? params.enableStaleStores() : params;
    }
}
