package io.wordcountiq.lookup;

import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.consistency.TokenPoll;
import io.wordcountiq.consistency.TokenWait;
import io.wordcountiq.http.Failures;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.CatchUp;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.model.StoreRequest;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.GlobalPositions;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.streams.WindowedOutput;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * An observer's key and window lookups: its global stores hold every key, so it answers every one itself, with the
 * same bodies and X-IQ headers as a word-count instance. Its position in each output partition (the global consumer's,
 * {@link GlobalPositions}) stands where a word-count copy's IQv2 position does: in the answer's token
 * ({@code observed}), against ?maxLag (the consumer's lag behind the partition's last stable offset, X-IQ-Lag), and in
 * a token read, which waits (holding no thread) until {@link Consistency#observerBehind} finds the store covering it.
 */
public final class ObserverReads {

    /** Where an observer's store stands for one key: its output partition, the position applied and the lag. */
    record At(boolean windows, int partition, long position, Long lag) {
        Copy copy() {
            return new Copy(Copy.Kind.GLOBAL, lag);
        }
    }

    private final StreamsLifecycle lifecycle;
    private final Settings settings;
    private final Consistency consistency;

    ObserverReads(StreamsLifecycle lifecycle, Consistency consistency) {
        this.lifecycle = lifecycle;
        this.settings = lifecycle.settings();
        this.consistency = consistency;
    }

    /** Read now, or {@link CatchUp} for a request with a token. */
    QueryResult read(KeyLookup request) {
        At at = at(request);
        if (at == null) {
            return new Unavailable("this observer has not read the output topic yet");
        }
        QueryResult tooFar = beyondMaxLag(request, at);
        if (tooFar != null) {
            return tooFar;
        }
        if (!request.token().isEmpty()) {
            return new CatchUp(request, new Placement(Placement.Role.ACTIVE,
                    new KeyQueryMetadata(lifecycle.self(), Set.of(), at.partition())));
        }
        return readAt(request, at);
    }

    /** A token read: answered once the store covers the token, or {@link Unavailable} at the deadline. */
    CompletionStage<QueryResult> catchUp(KeyLookup request, long deadlineNanos, Caller caller) {
        return comparable(consistency, lifecycle, request.token(), topicOf(request))
                .thenComposeAsync(count -> new Wait(request, deadlineNanos, caller).start(), caller.loop());
    }

    /**
     * The token is plausible and an observer's output partitions compare with its store partitions: the number of
     * partitions, or a 503 when the output topic has another number than the input topic (a word's output partition
     * and store partition then differ).
     */
    public static CompletionStage<Integer> comparable(Consistency consistency, StreamsLifecycle lifecycle,
                                               ConsistencyToken token, String topic) {
        return consistency.requirePlausible(token)
                .thenCompose(v -> consistency.partitionCount())
                .thenApply(count -> requireComparable(topic, lifecycle.globalPositions().partitionCount(topic), count));
    }

    /** {@code count}, or a 503 when {@code topic} has another number of partitions ({@code outputs}). */
    static int requireComparable(String topic, int outputs, int count) {
        if (outputs != count) {
            throw ApiError.notReady(topic + " has " + outputs + " partitions and the input topic " + count
                    + ": a token's partitions cannot be compared on an observer");
        }
        return count;
    }

    /** ?maxLag=N (or DEFAULT_MAX_LAG): the global consumer's lag on the key's partition is at most N. */
    static QueryResult beyondMaxLag(StoreRequest request, At at) {
        if (request.maxLag() != null && (at.lag() == null || at.lag() > request.maxLag())) {
            return new Unavailable("this observer is " + (at.lag() == null ? "an unknown number of" : at.lag())
                    + " records behind the output topic, more than maxLag=" + request.maxLag());
        }
        return null;
    }

    private String topicOf(KeyLookup request) {
        return request instanceof WindowRequest ? settings.windowedOutputTopic() : settings.outputTopic();
    }

    /** Null while the global consumer has read nothing of the key's output partition. */
    At at(KeyLookup request) {
        String topic = topicOf(request);
        GlobalPositions positions = lifecycle.globalPositions();
        int count = positions.partitionCount(topic);
        if (count == 0) {
            return null;
        }
        int partition = WindowedOutput.partitionOf(request.key(), count);
        GlobalPositions.Applied applied = positions.of(topic, partition);
        return applied == null ? null : new At(request instanceof WindowRequest, partition, applied.position(),
                applied.lag() < 0 ? null : applied.lag());
    }

    /**
     * Reads the store after {@code at} was taken, so the answer holds at least everything below its position, which
     * the answer's token names.
     */
    QueryResult readAt(KeyLookup request, At at) {
        KafkaStreams streams = lifecycle.streams();
        ConsistencyToken token = request.token().withObserved(at.windows(), at.partition(), at.position());
        try {
            if (request instanceof WindowRequest window) {
                var store = streams.store(StoreQueryParameters.fromNameAndType(window.store(),
                        QueryableStoreTypes.<String, Long>windowStore()));
                return Answers.windows(window, store.fetch(window.key(), Instant.ofEpochMilli(window.from()),
                        Instant.ofEpochMilli(window.to())), at.copy(), token);
            }
            Long value = streams.store(StoreQueryParameters.fromNameAndType(request.store(),
                    QueryableStoreTypes.<String, Long>keyValueStore())).get(request.key());
            return Answers.keyValue((KeyRequest) request, value, at.copy(), token);
        } catch (InvalidStateStoreException e) {
            return new Unavailable("store '" + request.store() + "' is not ready yet");
        }
    }

    /** One token read's wait: an attempt now, and again every {@link TokenPoll#INTERVAL_MS}. */
    private final class Wait extends TokenWait<QueryResult> {
        private final KeyLookup request;
        private final Map<String, Long> targets = new HashMap<>();

        Wait(KeyLookup request, long deadlineNanos, Caller caller) {
            super(deadlineNanos, caller);
            this.request = request;
        }

        @Override
        protected void attempt() {
            At at = at(request);
            if (at == null) {
                again("it has not read the output topic yet");
                return;
            }
            consistency.observerBehind(request.token(), at.windows(), at.partition(), at.position(), targets)
                    .whenCompleteAsync((behind, failure) -> {
                        if (failure != null) {
                            out.complete(new Unavailable(Failures.unwrap(failure).getMessage()));
                        } else if (behind == null) {
                            out.complete(readAt(request, at));
                        } else {
                            again(behind);
                        }
                    }, caller.loop());
        }

        @Override
        protected void giveUp(String behind) {
            out.complete(new Unavailable("this observer does not cover X-IQ-Token yet: " + behind));
        }
    }
}
