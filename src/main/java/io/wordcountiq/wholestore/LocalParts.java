package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
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
import java.util.LinkedHashMap;
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
    private final PartitionRanges ranges;

    public LocalParts(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency, LocalReads reads,
                      Executor pool) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
        this.consistency = consistency;
        this.reads = reads;
        this.pool = pool;
        this.observerParts = new ObserverParts(metadata, lifecycle, consistency, reads, pool);
        this.ranges = new PartitionRanges(metadata);
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
            onPool(out, () -> {
                Map<Integer, PartitionRanges.Opened> opened;
                try {
                    opened = ranges.open(streams, request);
                } catch (ApiError e) {
                    out.completeExceptionally(e);
                    return;
                }
                caller.loop().execute(() -> judge(opened));
            });
        }

        /** Keeps the partitions that cover the token, or checks the writes, or reads again after a pause. */
        private void judge(Map<Integer, PartitionRanges.Opened> opened) {
            Map<Integer, Long> positions = new LinkedHashMap<>();
            Map<Integer, Copy> copies = new HashMap<>();
            opened.forEach((p, o) -> {
                positions.put(p, consistency.positionOf(o.result().getPosition(), p));
                copies.put(p, o.copy());
            });
            CoveredPartitions sorted = CoveredPartitions.sort(request, copies, positions, writesCovered);
            boolean waitMore = sorted.waiting()
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TokenPoll.INTERVAL_MS) < deadlineNanos
                    && !caller.gone();
            if (waitMore) {
                close(opened, Set.of());
                if (!sorted.toCheck().isEmpty()) {
                    check(sorted.toCheck(), copies);
                } else {
                    caller.after(TokenPoll.INTERVAL_MS, this::attempt);
                }
                return;
            }
            close(opened, sorted.kept().keySet());
            ConsistencyToken token = request.token();
            List<KeyValueIterator<String, Long>> kept = new ArrayList<>();
            for (Map.Entry<Integer, Long> p : sorted.kept().entrySet()) {
                token = token.withPosition(p.getKey(), p.getValue());
                kept.add(opened.get(p.getKey()).result().getResult());
            }
            out.complete(new StorePart(metadata.self(), new LocalEntries(kept, request, pool, caller.loop()),
                    new TreeSet<>(sorted.kept().keySet()), token, sorted.lag()));
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

        /** Closes every range opened but those of the partitions kept, on the pool when it takes them. */
        private void close(Map<Integer, PartitionRanges.Opened> opened, Set<Integer> kept) {
            List<KeyValueIterator<String, Long>> iterators = new ArrayList<>();
            opened.forEach((p, o) -> {
                if (!kept.contains(p)) {
                    iterators.add(o.result().getResult());
                }
            });
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
