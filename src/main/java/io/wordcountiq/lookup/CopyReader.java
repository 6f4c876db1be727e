package io.wordcountiq.lookup;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.NotHosted;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.streams.StreamsLifecycle;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads a key in one partition of this instance's state with IQv2: the processing active copy when it is here, else
 * whatever copy is (a standby, or an active still restoring), with the position the read found.
 */
final class CopyReader {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CopyReader.class);

    private final StoreMetadata metadata;
    private final StreamsLifecycle lifecycle;
    private final Consistency consistency;

    CopyReader(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
        this.consistency = consistency;
    }

    CopyRead read(KeyLookup request, int partition) {
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
            return CopyRead.failed(new Unavailable("store '" + request.store()
                    + "' is being moved between instances; retry shortly"));
        }
        if (r == null || (r.isFailure() && (r.getFailureReason() == FailureReason.NOT_PRESENT
                || r.getFailureReason() == FailureReason.DOES_NOT_EXIST))) {
            return CopyRead.failed(new NotHosted(metadata.self()));
        }
        if (r.isFailure()) {
            LOG.debug("Reading {} partition {} failed: {} {}", request.store(), partition, r.getFailureReason(),
                    r.getFailureMessage());
            return CopyRead.failed(new Unavailable("store '" + request.store() + "' cannot be read right now ("
                    + r.getFailureReason() + "); retry shortly"));
        }
        QueryResult result = request instanceof WindowRequest window
                ? Answers.windows(window, (WindowStoreIterator<?>) r.getResult(), copy, ConsistencyToken.NONE)
                : Answers.keyValue((KeyRequest) request, (Long) r.getResult(), copy, ConsistencyToken.NONE);
        return new CopyRead(result, copy, consistency.positionOf(r.getPosition(), partition));
    }

    private static StateQueryRequest<?> inPartition(KeyLookup request, int partition) {
        Query<?> query = request instanceof WindowRequest window
                ? WindowKeyQuery.<String, Long>withKeyAndWindowStartRange(window.key(),
                        Instant.ofEpochMilli(window.from()), Instant.ofEpochMilli(window.to()))
                : KeyQuery.<String, Long>withKey(request.key());
        return StateQueryRequest.inStore(request.store()).withQuery(query).withPartitions(Set.of(partition));
    }
}
