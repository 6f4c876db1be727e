package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotHosted;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's Kafka Streams state with interactive queries v2. A key that lives elsewhere is not an error
 * here: the result is {@link NotLocal}, and routes/local-or-forward decides where to ask next.
 *
 * <p>A key lookup first asks for the processing active copy; when the partition's copy here is a standby, or an
 * active task still restoring after a rebalance, it reads that copy and says so ({@link Copy}): a rebalance never
 * makes a copy that exists unreadable. Observers read their global table (IQv2 does not serve global stores).
 */
public class LocalReads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalReads.class);

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
        if (metadata.isObserver()) {
            return readGlobal((KeyRequest) request);
        }
        Placement placement;
        try {
            placement = metadata.placement(request.store(), request.key());
        } catch (ApiError e) {
            return new Unavailable(e.getMessage());
        }
        Placement.Decision decision = placement.decide(request.localOnly());
        if (decision == Placement.Decision.FORWARD) {
            return new NotLocal(request, placement);
        }
        if (decision == Placement.Decision.NOT_HOSTED) {
            return new NotHosted(metadata.self());
        }
        QueryResult read = readPartition(request, placement.partition());
        if (!request.localOnly() && !settles(read)) {
            // This copy is restoring (it may lag behind, or not have the key yet), or cannot be read right now: the
            // key's other holders are asked first, and this copy is the answer of last resort between rounds
            // (routes/forward.camel.yaml).
            return new NotLocal(request, placement);
        }
        return read;
    }

    /** A read that answers a client without asking anyone else: the processing active copy's value or absence. */
    static boolean settles(QueryResult read) {
        return (read instanceof Found found && !found.stale())
                || (read instanceof Absent absent && absent.copy().authoritative());
    }

    /**
     * Reads the partition's copy here, whatever it is: the processing active task if it is one, else the restoring
     * active task or the standby. A partition with no copy here is {@link NotHosted}.
     */
    QueryResult readPartition(KeyLookup request, int partition) {
        KafkaStreams streams = lifecycle.streams();
        Copy copy = Copy.ACTIVE;
        org.apache.kafka.streams.query.QueryResult<?> r;
        try {
            r = streams.query(inPartition(request, partition).requireActive()).getPartitionResults().get(partition);
            if (r != null && r.isFailure() && r.getFailureReason() == FailureReason.NOT_ACTIVE) {
                copy = metadata.copyHere(request.store(), partition);
                r = streams.query(inPartition(request, partition)).getPartitionResults().get(partition);
            }
        } catch (StreamsException | IllegalStateException e) {
            // Kafka Streams left RUNNING/REBALANCING between the check and the query.
            LOG.debug("Reading {} partition {} failed: {}", request.store(), partition, e.toString());
            return new Unavailable("store '" + request.store() + "' is being moved between instances; retry shortly");
        }
        if (r == null || (r.isFailure() && (r.getFailureReason() == FailureReason.NOT_PRESENT
                || r.getFailureReason() == FailureReason.DOES_NOT_EXIST))) {
            return new NotHosted(metadata.self());
        }
        if (r.isFailure()) {
            LOG.debug("Reading {} partition {} failed: {} {}", request.store(), partition, r.getFailureReason(),
                    r.getFailureMessage());
            return new Unavailable("store '" + request.store() + "' cannot be read right now ("
                    + r.getFailureReason() + "); retry shortly");
        }
        return request instanceof WindowRequest window
                ? windows(window, (WindowStoreIterator<?>) r.getResult(), copy)
                : keyValue((KeyRequest) request, (Long) r.getResult(), copy);
    }

    /**
     * This instance's part of a whole-store request: the entries of its processing active partitions that the
     * request admits, merged in key order and read as they are needed, with the partitions actually opened (a
     * partition that cannot be read right now is left out and shows up as missing, never guessed).
     */
    public StorePart range(RangeRequest request) {
        KafkaStreams streams = metadata.requireQueryable();
        String lower = request.lowerBound();
        RangeQuery<String, Long> query = lower == null && request.to() == null ? RangeQuery.withNoBounds()
                : lower == null ? RangeQuery.withUpperBound(request.to())
                : request.to() == null ? RangeQuery.withLowerBound(lower)
                : RangeQuery.withRange(lower, request.to());
        StateQueryResult<KeyValueIterator<String, Long>> result;
        try {
            result = streams.query(StateQueryRequest.inStore(request.store()).withQuery(query).requireActive());
        } catch (StreamsException | IllegalStateException e) {
            throw ApiError.notReady("store '" + request.store() + "' is being moved between instances; retry shortly");
        }
        List<EntrySource> sources = new ArrayList<>();
        Set<Integer> partitions = new TreeSet<>();
        for (Map.Entry<Integer, org.apache.kafka.streams.query.QueryResult<KeyValueIterator<String, Long>>> e
                : result.getPartitionResults().entrySet()) {
            if (e.getValue().isSuccess()) {
                sources.add(new StoreEntries(e.getValue().getResult(), request));
                partitions.add(e.getKey());
            }
        }
        return new StorePart(metadata.self(), new MergedEntries(sources), partitions);
    }

    /** An observer's whole table, or the part of it a request admits, in key order. */
    public EntrySource globalRange(RangeRequest request) {
        KafkaStreams streams = metadata.requireQueryable();
        try {
            return new StoreEntries(streams.store(StoreQueryParameters.fromNameAndType(request.store(),
                    QueryableStoreTypes.<String, Long>keyValueStore())).range(request.lowerBound(), request.to()), request);
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + request.store() + "' is not ready yet");
        }
    }

    private static StateQueryRequest<?> inPartition(KeyLookup request, int partition) {
        Query<?> query = request instanceof WindowRequest window
                ? WindowKeyQuery.<String, Long>withKeyAndWindowStartRange(window.key(),
                        Instant.ofEpochMilli(window.from()), Instant.ofEpochMilli(window.to()))
                : KeyQuery.<String, Long>withKey(request.key());
        return StateQueryRequest.inStore(request.store()).withQuery(query).withPartitions(Set.of(partition));
    }

    private QueryResult readGlobal(KeyRequest request) {
        Long value;
        try {
            value = lifecycle.streams().store(StoreQueryParameters.fromNameAndType(request.store(),
                    QueryableStoreTypes.<String, Long>keyValueStore())).get(request.key());
        } catch (InvalidStateStoreException e) {
            return new Unavailable("store '" + request.store() + "' is not ready yet");
        }
        return keyValue(request, value, Copy.GLOBAL);
    }

    private static QueryResult keyValue(KeyRequest request, Long value, Copy copy) {
        if (value == null) {
            return new Absent(request.key(), copy);
        }
        return new Found(Json.write(new KeyValueBean(request.key(), value)), copy);
    }

    private static QueryResult windows(WindowRequest request, WindowStoreIterator<?> iterator, Copy copy) {
        List<KeyValueBean> windows = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                KeyValue<Long, ?> window = iterator.next();
                // A timestamped window store answers ValueAndTimestamp to a WindowKeyQuery (KeyQuery unwraps it).
                Object value = window.value instanceof ValueAndTimestamp<?> vt ? vt.value() : window.value;
                windows.add(new KeyValueBean(request.key() + "@" + window.key, ((Number) value).longValue()));
            }
        }
        return new Found(Json.write(windows), copy);
    }
}
