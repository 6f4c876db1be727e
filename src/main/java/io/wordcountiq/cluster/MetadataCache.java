package io.wordcountiq.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers derived from Kafka Streams metadata, kept while the metadata cannot have changed. Kafka Streams answers
 * {@code queryMetadataForKey} and {@code streamsMetadataForStore} under one lock per instance (StreamsMetadataState
 * is synchronized), shared by every request thread and the stream thread: under concurrency, forwarded hits queued
 * on it. The metadata changes only in a rebalance, and every rebalance changes the client's state, so an entry is
 * valid in the {@code generation} it was computed in (StreamsLifecycle counts state changes; a negative generation
 * means "do not cache": not RUNNING), and for at most {@code maxAgeNanos} besides, so that no cached answer outlives
 * a missed change by more than that. Bounded: emptied when it holds {@code maxEntries}.
 */
final class MetadataCache<V> {

    private record Entry<V>(long generation, long bornNanos, V value) {
    }

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final LongSupplier generation;
    private final LongSupplier clock;
    private final long maxAgeNanos;
    private final int maxEntries;

    MetadataCache(LongSupplier generation, LongSupplier clock, long maxAgeNanos, int maxEntries) {
        this.generation = generation;
        this.clock = clock;
        this.maxAgeNanos = maxAgeNanos;
        this.maxEntries = maxEntries;
    }

    V get(String key, Supplier<V> compute) {
        long before = generation.getAsLong();
        if (before < 0) {
            return compute.get();
        }
        long now = clock.getAsLong();
        Entry<V> cached = entries.get(key);
        if (cached != null && cached.generation() == before && now - cached.bornNanos() < maxAgeNanos) {
            return cached.value();
        }
        V value = compute.get();
        // Kept only if no state change happened while it was computed.
        if (generation.getAsLong() == before) {
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
            entries.put(key, new Entry<>(before, now, value));
        }
        return value;
    }

    int size() {
        return entries.size();
    }
}
