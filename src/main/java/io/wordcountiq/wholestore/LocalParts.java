package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.consistency.Coverage;
import io.wordcountiq.consistency.TokenPoll;
import io.wordcountiq.lookup.LocalReads;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * This instance's part of a whole-store request: the entries of its processing active partitions that the request
 * admits, or an observer's whole table. The stores are opened and read on the whole-store pool (RocksDB may block);
 * with a consistency token, each partition is kept once it covers the token, checked again every
 * {@link TokenPoll#INTERVAL_MS} on the request's event loop until the deadline. A partition that cannot be read,
 * or does not cover the token in time, is left out and shows up as missing, never guessed.
 */
public class LocalParts {

    private final StoreMetadata metadata;
    private final StreamsLifecycle lifecycle;
    private final Consistency consistency;
    private final LocalReads reads;
    private final Executor pool;
    private final ObserverParts observerParts;

    public LocalParts(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency, LocalReads reads,
                      Executor pool) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
        this.consistency = consistency;
        this.reads = reads;
        this.pool = pool;
        this.observerParts = new ObserverParts(metadata, lifecycle, consistency, reads, pool);
    }

    /** Opens this instance's part; completes on the request's event loop. */
    CompletionStage<StorePart> open(RangeRequest request, Caller caller) {
        if (metadata.isObserver()) {
            return observerParts.open(request, caller);
        }
        KafkaStreams streams = metadata.requireQueryable();
        return consistency.requirePlausible(request.token())
                .thenComposeAsync(v -> new RangeWait(streams, request, caller).start(), caller.loop());
    }

    private void onPool(CompletableFuture<?> out, Runnable work) {
        try {
            pool.execute(work);
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(ApiError.notReady("too many whole-store reads at once; retry shortly"));
        }
    }

    /** One request's reads of its partitions until each covers its token (at once, without one). */
    private final class RangeWait {
        private final KafkaStreams streams;
        private final RangeRequest request;
        private final Caller caller;
        private final long deadlineNanos;
        private final Map<Integer, Map<String, Long>> targets = new HashMap<>();
        /** Partitions whose active copy was found covering the token's writes (checked before the read that is kept). */
        private final Set<Integer> writesCovered = new HashSet<>();
        private final CompletableFuture<StorePart> out = new CompletableFuture<>();

        RangeWait(KafkaStreams streams, RangeRequest request, Caller caller) {
            this.streams = streams;
            this.request = request;
            this.caller = caller;
            this.deadlineNanos = request.token().isEmpty() ? System.nanoTime() : reads.waitDeadline(request);
        }

        CompletionStage<StorePart> start() {
            attempt();
            return out;
        }

        private void attempt() {
            String lower = request.lowerBound();
            RangeQuery<String, Long> query = lower == null && request.to() == null ? RangeQuery.withNoBounds()
                    : lower == null ? RangeQuery.withUpperBound(request.to())
                    : request.to() == null ? RangeQuery.withLowerBound(lower)
                    : RangeQuery.withRange(lower, request.to());
            onPool(out, () -> {
                Map<Integer, QueryResult<KeyValueIterator<String, Long>>> results = new HashMap<>();
                Map<Integer, Copy> copies = new HashMap<>();
                try {
                    StateQueryRequest<KeyValueIterator<String, Long>> active = StateQueryRequest.inStore(request.store())
                            .withQuery(query).requireActive();
                    if (request.partitions() != null) {
                        active = active.withPartitions(request.partitions());
                    }
                    Set<Integer> notActive = new TreeSet<>();
                    streams.query(active).getPartitionResults().forEach((p, r) -> {
                        if (r.isSuccess()) {
                            results.put(p, r);
                            copies.put(p, Copy.ACTIVE);
                        } else if (r.getFailureReason() == FailureReason.NOT_ACTIVE) {
                            notActive.add(p);
                        }
                    });
                    // Named partitions (their active copy could not be reached): whatever copy is here.
                    if (request.partitions() != null && !notActive.isEmpty()) {
                        streams.query(StateQueryRequest.inStore(request.store()).withQuery(query)
                                .withPartitions(notActive)).getPartitionResults().forEach((p, r) -> {
                                    if (r.isSuccess()) {
                                        results.put(p, r);
                                        copies.put(p, metadata.copyHere(request.store(), p));
                                    }
                                });
                    }
                } catch (StreamsException | IllegalStateException e) {
                    results.values().forEach(r -> r.getResult().close());
                    out.completeExceptionally(ApiError.notReady("store '" + request.store()
                            + "' is being moved between instances; retry shortly"));
                    return;
                }
                caller.loop().execute(() -> judge(results, copies));
            });
        }

        /** Keeps the partitions that cover the token, or checks the writes, or reads again after a pause. */
        private void judge(Map<Integer, QueryResult<KeyValueIterator<String, Long>>> results, Map<Integer, Copy> copies) {
            Map<Integer, KeyValueIterator<String, Long>> covered = new HashMap<>();
            Map<Integer, Long> positions = new HashMap<>();
            List<KeyValueIterator<String, Long>> dropped = new ArrayList<>();
            Map<Integer, Long> toCheck = new HashMap<>();
            String behind = null;
            Long lag = null;
            for (Map.Entry<Integer, QueryResult<KeyValueIterator<String, Long>>> e : results.entrySet()) {
                int p = e.getKey();
                Copy copy = copies.get(p);
                if (tooFar(copy)) {
                    dropped.add(e.getValue().getResult());
                    continue;
                }
                long position = consistency.positionOf(e.getValue().getPosition(), p);
                String positionBehind = Coverage.positionBehind(request.token(), p, position);
                if (positionBehind == null && request.token().committedConcern(p) && !writesCovered.contains(p)) {
                    toCheck.put(p, position);
                    dropped.add(e.getValue().getResult());
                } else if (positionBehind != null) {
                    behind = positionBehind;
                    dropped.add(e.getValue().getResult());
                } else {
                    covered.put(p, e.getValue().getResult());
                    positions.put(p, position);
                    if (copy.kind() != Copy.Kind.ACTIVE) {
                        lag = StorePart.staler(lag, copy.lag() == null ? Long.valueOf(-1) : copy.lag());
                    }
                }
            }
            boolean waitMore = (behind != null || !toCheck.isEmpty())
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TokenPoll.INTERVAL_MS) < deadlineNanos
                    && !caller.gone();
            if (!toCheck.isEmpty() && waitMore) {
                covered.values().forEach(dropped::add);
                close(dropped);
                check(toCheck, copies);
            } else if (behind != null && waitMore) {
                covered.values().forEach(dropped::add);
                close(dropped);
                caller.after(TokenPoll.INTERVAL_MS, this::attempt);
            } else {
                close(dropped);
                ConsistencyToken token = request.token();
                for (Map.Entry<Integer, Long> p : positions.entrySet()) {
                    token = token.withPosition(p.getKey(), p.getValue());
                }
                out.complete(new StorePart(metadata.self(), new LocalEntries(new ArrayList<>(covered.values()), request,
                        pool, caller.loop()), new TreeSet<>(covered.keySet()), token, lag));
            }
        }

        /** A copy other than the processing active one that maxLag does not admit: its partition stays missing. */
        private boolean tooFar(Copy copy) {
            Long maxLag = request.maxLag();
            return maxLag != null && copy.kind() != Copy.Kind.ACTIVE
                    && (copy.kind() == Copy.Kind.RESTORING || copy.lag() == null || copy.lag() > maxLag);
        }

        /** Asks whether each partition covers the token's writes; reads again after (a check answers for later reads only). */
        private void check(Map<Integer, Long> partitions, Map<Integer, Copy> copies) {
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            for (Map.Entry<Integer, Long> p : partitions.entrySet()) {
                checks.add(consistency.committedBehind(request.token(), request.store(), p.getKey(), copies.get(p.getKey()),
                                p.getValue(),
                                targets.computeIfAbsent(p.getKey(), k -> new HashMap<>()))
                        .toCompletableFuture()
                        .handleAsync((writesBehind, failure) -> {
                            if (failure == null && writesBehind == null) {
                                writesCovered.add(p.getKey());
                            }
                            return null;
                        }, caller.loop()));
            }
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                    .whenCompleteAsync((v, e) -> caller.after(writesCovered.containsAll(partitions.keySet()) ? 1
                            : TokenPoll.INTERVAL_MS, this::attempt), caller.loop());
        }

        private void close(List<KeyValueIterator<String, Long>> iterators) {
            if (iterators.isEmpty()) {
                return;
            }
            try {
                pool.execute(() -> iterators.forEach(KeyValueIterator::close));
            } catch (RejectedExecutionException e) {
                iterators.forEach(KeyValueIterator::close);
            }
        }
    }
}
