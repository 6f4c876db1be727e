package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Opens a range of this instance's partitions with IQv2 (on the whole-store pool: RocksDB may block): its processing
 * active partitions, or the partitions a request names, from whatever copy is here when their active one is not.
 */
final class PartitionRanges {

    /** One partition's open range and the copy it came from. */
    record Opened(QueryResult<KeyValueIterator<String, Long>> result, Copy copy) {
    }

    private final StoreMetadata metadata;

    PartitionRanges(StoreMetadata metadata) {
        this.metadata = metadata;
    }

    /** The partitions opened; a 503 (every range opened so far closed) when Kafka Streams is moving the store. */
    Map<Integer, Opened> open(KafkaStreams streams, RangeRequest request) {
        RangeQuery<String, Long> query = query(request);
        Map<Integer, Opened> opened = new HashMap<>();
        try {
            StateQueryRequest<KeyValueIterator<String, Long>> active = StateQueryRequest.inStore(request.store())
                    .withQuery(query).requireActive();
            if (request.partitions() != null) {
                active = active.withPartitions(request.partitions());
            }
            Set<Integer> notActive = new TreeSet<>();
            streams.query(active).getPartitionResults().forEach((p, r) -> {
                if (r.isSuccess()) {
                    opened.put(p, new Opened(r, Copy.ACTIVE));
                } else if (r.getFailureReason() == FailureReason.NOT_ACTIVE) {
                    notActive.add(p);
                }
            });
            // Named partitions (their active copy could not be reached): whatever copy is here.
            if (request.partitions() != null && !notActive.isEmpty()) {
                streams.query(StateQueryRequest.inStore(request.store()).withQuery(query)
                        .withPartitions(notActive)).getPartitionResults().forEach((p, r) -> {
                            if (r.isSuccess()) {
                                opened.put(p, new Opened(r, metadata.copyHere(request.store(), p)));
                            }
                        });
            }
        } catch (StreamsException | IllegalStateException e) {
            opened.values().forEach(o -> o.result().getResult().close());
            throw ApiError.notReady("store '" + request.store() + "' is being moved between instances; retry shortly");
        }
        return opened;
    }

    private static RangeQuery<String, Long> query(RangeRequest request) {
        String lower = request.lowerBound();
        return lower == null && request.to() == null ? RangeQuery.withNoBounds()
                : lower == null ? RangeQuery.withUpperBound(request.to())
                : request.to() == null ? RangeQuery.withLowerBound(lower)
                : RangeQuery.withRange(lower, request.to());
    }
}
