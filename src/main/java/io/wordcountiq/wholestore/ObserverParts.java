package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.consistency.TokenWait;
import io.wordcountiq.http.Failures;
import io.wordcountiq.lookup.LocalReads;
import io.wordcountiq.lookup.ObserverReads;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.streams.GlobalPositions;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * An observer's whole-store part: its global table, read on the whole-store pool (RocksDB may block) once it covers
 * the request's token in every partition the token concerns, and answered with a token that names the position of
 * every output partition read.
 */
final class ObserverParts {

    private final StoreMetadata metadata;
    private final StreamsLifecycle lifecycle;
    private final Consistency consistency;
    private final LocalReads reads;
    private final Executor pool;

    ObserverParts(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency, LocalReads reads,
                  Executor pool) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
        this.consistency = consistency;
        this.reads = reads;
        this.pool = pool;
    }

    CompletionStage<StorePart> open(RangeRequest request, Caller caller) {
        KafkaStreams streams = metadata.requireQueryable();
        if (request.token().isEmpty()) {
            return read(streams, request, caller);
        }
        return ObserverReads.comparable(consistency, lifecycle, request.token(), lifecycle.settings().outputTopic())
                .thenComposeAsync(count -> new Wait(streams, request, caller, count).start(), caller.loop());
    }

    /** Opens the table after taking every output partition's position, so the answer holds at least that. */
    private CompletionStage<StorePart> read(KafkaStreams streams, RangeRequest request, Caller caller) {
        String topic = lifecycle.settings().outputTopic();
        GlobalPositions positions = lifecycle.globalPositions();
        ConsistencyToken token = request.token();
        for (int p = 0; p < positions.partitionCount(topic); p++) {
            GlobalPositions.Applied applied = positions.of(topic, p);
            if (applied != null) {
                token = token.withObserved(false, p, applied.position());
            }
        }
        ConsistencyToken answered = token;
        CompletableFuture<StorePart> out = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    KeyValueIterator<String, Long> all = streams.store(StoreQueryParameters.fromNameAndType(
                            request.store(), QueryableStoreTypes.<String, Long>keyValueStore()))
                            .range(request.lowerBound(), request.to());
                    caller.loop().execute(() -> out.complete(new StorePart(metadata.self(),
                            new LocalEntries(List.of(all), request, pool, caller.loop()), Set.of(), answered)));
                } catch (InvalidStateStoreException e) {
                    out.completeExceptionally(ApiError.notReady("store '" + request.store() + "' is not ready yet"));
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(ApiError.notReady("too many whole-store reads at once; retry shortly"));
        }
        return out;
    }

    /** Checks every partition the token concerns until all are covered, then reads; 503 at the deadline. */
    private final class Wait extends TokenWait<StorePart> {
        private final KafkaStreams streams;
        private final RangeRequest request;
        private final int partitions;
        private final Map<Integer, Map<String, Long>> targets = new HashMap<>();

        Wait(KafkaStreams streams, RangeRequest request, Caller caller, int partitions) {
            super(reads.waitDeadline(request), caller);
            this.streams = streams;
            this.request = request;
            this.partitions = partitions;
        }

        @Override
        protected void attempt() {
            String topic = lifecycle.settings().outputTopic();
            List<CompletableFuture<String>> checks = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                if (!request.token().concerns(p)) {
                    continue;
                }
                GlobalPositions.Applied applied = lifecycle.globalPositions().of(topic, p);
                if (applied == null) {
                    again("it has read nothing of partition " + p + " yet");
                    return;
                }
                checks.add(consistency.observerBehind(request.token(), false, p, applied.position(),
                        targets.computeIfAbsent(p, k -> new HashMap<>())).toCompletableFuture());
            }
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).whenCompleteAsync((v, failure) -> {
                if (failure != null) {
                    out.completeExceptionally(Failures.unwrap(failure));
                    return;
                }
                String behind = checks.stream().map(CompletableFuture::join).filter(b -> b != null).findFirst().orElse(null);
                if (behind == null) {
                    read(streams, request, caller).whenComplete((part, e) -> {
                        if (e != null) {
                            out.completeExceptionally(Failures.unwrap(e));
                        } else {
                            out.complete(part);
                        }
                    });
                } else {
                    again(behind);
                }
            }, caller.loop());
        }

        @Override
        protected void giveUp(String behind) {
            out.completeExceptionally(ApiError.notReady("this observer does not cover X-IQ-Token yet: " + behind));
        }
    }
}
