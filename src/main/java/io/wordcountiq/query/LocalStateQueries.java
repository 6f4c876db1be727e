package io.wordcountiq.query;

import io.wordcountiq.config.Settings;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.StreamsLifecycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's Kafka Streams state for one HTTP request. A key that lives elsewhere is not an error here:
 * the exchange gets outcome NOT_LOCAL and the route decides where to ask next.
 */
public class LocalStateQueries {

    public static final String FOUND = "FOUND";
    public static final String NOT_LOCAL = "NOT_LOCAL";
    static final String PLACEMENT = "iqPlacement";
    static final String REQUEST = "iqRequest";

    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private final StreamsLifecycle lifecycle;
    private final RequestValidator validator;
    private final ForwardMarker marker;
    private final boolean observer;
    private final String self;

    public LocalStateQueries(StreamsLifecycle lifecycle, RequestValidator validator, ForwardMarker marker) {
        this.lifecycle = lifecycle;
        this.validator = validator;
        this.marker = marker;
        this.observer = lifecycle.settings().mode() == Settings.AppMode.OBSERVER;
        this.self = lifecycle.settings().applicationServer();
    }

    /** True when a peer forwarded this request: answer from local state only. */
    public boolean isForwarded(Exchange exchange) {
        return marker.verify(exchange.getMessage().getHeader(Headers.FORWARDED, String.class), System.currentTimeMillis());
    }

    public void keyValue(Exchange exchange) {
        keyValue(exchange, isForwarded(exchange));
    }

    public void windowed(Exchange exchange) {
        windowed(exchange, isForwarded(exchange));
    }

    /** Answers from this instance's standby copy after every other holder of the key failed to answer. */
    void standbyFallback(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> request = exchange.getProperty(REQUEST, Map.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeaders(new HashMap<>(request));
        if (request.containsKey("from")) {
            windowed(exchange, true);
        } else {
            keyValue(exchange, true);
        }
    }

    private void keyValue(Exchange exchange, boolean localOnly) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        String key = validator.key(in.getHeader("key", String.class), "key");
        KafkaStreams streams = requireQueryable();
        if (observer) {
            Long value = readGlobal(streams, store, key);
            reply(exchange, Json.write(new KeyValueBean(key, found(value, key))), false);
            return;
        }
        Placement placement = placement(streams, store, key);
        boolean stale = placement.role() == Placement.Role.STANDBY;
        if (placement.role() == Placement.Role.ACTIVE || (stale && localOnly)) {
            Long value = readPartition(streams, store, key, placement.partition(), stale);
            reply(exchange, Json.write(new KeyValueBean(key, found(value, key))), stale);
        } else {
            notLocal(exchange, placement, localOnly, Map.of("store", store, "key", key));
        }
    }

    private void windowed(Exchange exchange, boolean localOnly) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.windowStore(store);
        String key = validator.key(in.getHeader("key", String.class), "key");
        long from = validator.epochMillis(in.getHeader("from", String.class), "from");
        long to = validator.epochMillis(in.getHeader("to", String.class), "to");
        validator.range("from", from, "to", to);
        if (observer) {
            throw new ApiError(501, "observers keep the whole word-count table only; windowed counts are served by the word-count instances");
        }
        KafkaStreams streams = requireQueryable();
        Placement placement = placement(streams, store, key);
        boolean stale = placement.role() == Placement.Role.STANDBY;
        if (placement.role() != Placement.Role.ACTIVE && !(stale && localOnly)) {
            notLocal(exchange, placement, localOnly, Map.of("store", store, "key", key,
                    "from", Long.toString(from), "to", Long.toString(to)));
            return;
        }
        List<KeyValueBean> windows = new ArrayList<>();
        try {
            ReadOnlyWindowStore<String, Long> windowStore = streams.store(withStale(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, Long>windowStore())
                    .withPartition(placement.partition()), stale));
            try (WindowStoreIterator<Long> it = windowStore.fetch(key, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
                while (it.hasNext()) {
                    KeyValue<Long, Long> window = it.next();
                    windows.add(new KeyValueBean(key + "@" + window.key, window.value));
                }
            }
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + store + "' is being moved between instances; retry shortly");
        }
        reply(exchange, Json.write(windows), stale);
    }

    /** Checks an "all" (from == null) or range request and returns its store. */
    public String validateRange(Exchange exchange, String from, String to) {
        String store = exchange.getMessage().getHeader("store", String.class);
        validator.keyValueStore(store);
        if (from != null) {
            validator.key(from, "from");
            validator.key(to, "to");
            validator.range("from", from, "to", to);
        }
        return store;
    }

    /** The keys in [from, to] (both inclusive), or every key when from is null, from the local active partitions. */
    public List<KeyValueBean> readRange(String store, String from, String to) {
        KafkaStreams streams = requireQueryable();
        List<KeyValueBean> out = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, Long> kv = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Long>keyValueStore()));
            try (KeyValueIterator<String, Long> it = from == null ? kv.all() : kv.range(from, to)) {
                it.forEachRemaining(e -> out.add(new KeyValueBean(e.key, e.value)));
            }
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + store + "' is being moved between instances; retry shortly");
        }
        out.sort(null);
        return out;
    }

    /** Partitions of the store's source topic whose active task runs here. */
    public Set<Integer> localActivePartitions(String store) {
        KafkaStreams streams = requireQueryable();
        String inputTopic = lifecycle.settings().inputTopic();
        return streams.streamsMetadataForStore(store).stream()
                .filter(md -> md.hostInfo().equals(lifecycle.self()))
                .flatMap(md -> md.topicPartitions().stream())
                .filter(tp -> !tp.topic().equals(inputTopic))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public boolean isObserver() {
        return observer;
    }

    public String self() {
        return self;
    }

    String inputTopic() {
        return lifecycle.settings().inputTopic();
    }

    java.util.Collection<StreamsMetadata> allClients() {
        return requireQueryable().metadataForAllStreamsClients();
    }

    public HostInfo selfHost() {
        return lifecycle.self();
    }

    void reply(Exchange exchange, String json, boolean stale) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(json);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Headers.SERVED_BY, self);
        if (stale) {
            out.setHeader(Headers.STALE, "true");
        }
        exchange.setProperty(Headers.OUTCOME, FOUND);
    }

    private void notLocal(Exchange exchange, Placement placement, boolean localOnly, Map<String, String> request) {
        if (localOnly) {
            throw ApiError.notFound("key is not hosted on " + self);
        }
        exchange.setProperty(PLACEMENT, placement);
        exchange.setProperty(REQUEST, request);
        exchange.setProperty(Headers.OUTCOME, NOT_LOCAL);
    }

    KafkaStreams requireQueryable() {
        KafkaStreams streams = lifecycle.streams();
        if (streams == null) {
            throw ApiError.notReady("Kafka Streams is not started yet");
        }
        KafkaStreams.State state = streams.state();
        // An observer's global table is only complete once RUNNING; word-count stores stay readable while rebalancing.
        boolean queryable = state == KafkaStreams.State.RUNNING || (!observer && state == KafkaStreams.State.REBALANCING);
        if (!queryable) {
            throw ApiError.notReady("Kafka Streams is " + state);
        }
        return streams;
    }

    Placement placement(KafkaStreams streams, String store, String key) {
        try {
            return Placement.of(streams.queryMetadataForKey(store, key, KEY_SERIALIZER), lifecycle.self());
        } catch (IllegalStateException e) {
            throw ApiError.notReady("Kafka Streams metadata is not available yet");
        }
    }

    List<StreamsMetadata> hostsOf(String store) {
        return new ArrayList<>(requireQueryable().streamsMetadataForStore(store));
    }

    private Long readPartition(KafkaStreams streams, String store, String key, int partition, boolean stale) {
        try {
            return streams.store(withStale(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, Long>keyValueStore())
                    .withPartition(partition), stale)).get(key);
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + store + "' is being moved between instances; retry shortly");
        }
    }

    private Long readGlobal(KafkaStreams streams, String store, String key) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Long>keyValueStore()))
                    .get(key);
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + store + "' is not ready yet");
        }
    }

    private static <T> StoreQueryParameters<T> withStale(StoreQueryParameters<T> params, boolean stale) {
        return stale ? params.enableStaleStores() : params;
    }

    private static long found(Long value, String key) {
        if (value == null) {
            throw ApiError.notFound("word '" + key + "' not found");
        }
        return value;
    }
}
