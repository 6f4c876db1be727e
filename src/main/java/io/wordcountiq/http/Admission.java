package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.RequestBody;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.UiRequest;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * A bound on what is in flight, per class of request: past it the answer is 503 with Retry-After at once, never a
 * queue. Each request holds its place until its exchange is done (after a streamed answer is written, or its client
 * has gone), so an instance returns to normal by itself when the load ends.
 */
public class Admission {

    /** The classes of request, each with its own bound (ADMIT_* settings, WHOLE_STORE_CONCURRENCY). */
    public enum Kind {
        /** A key's count or windowed counts without a token: read here, or one hop. */
        KEY_LOOKUPS("key lookups"),
        /** A key lookup with a consistency token: it may wait for its copy. */
        TOKEN_WAITS("reads that wait for a token"),
        /** A page of "all" or range, or a peer's part of one: bounded work. */
        PAGES("pages"),
        /** An unpaged "all" or range of a client: a whole store streamed. */
        WHOLE_STORE("whole-store reads"),
        /** A peer's part of an unpaged "all" or range: this instance's share, streamed. */
        PARTS("whole-store parts for other instances"),
        /** The page at /ui/ and its two endpoints. */
        UI("page requests"),
        /** POST /lines. */
        INGEST("ingest requests");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private final Map<Kind, Integer> bounds;
    private final Map<Kind, AtomicInteger> inFlight = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicLong> refused = new EnumMap<>(Kind.class);

    public Admission(Map<Kind, Integer> bounds) {
        this.bounds = new EnumMap<>(bounds);
        for (Kind kind : Kind.values()) {
            if (!bounds.containsKey(kind)) {
                throw new IllegalArgumentException("no bound for " + kind);
            }
            inFlight.put(kind, new AtomicInteger());
            refused.put(kind, new AtomicLong());
        }
    }

    /** Admits the request in the body (typed by the route's first step), or refuses it with 503 and Retry-After. */
    public void admit(Exchange exchange) {
        Kind kind = kindOf(exchange.getMessage().getBody());
        if (!enter(kind)) {
            throw new ApiError(503, "too many " + kind.text + " at once on this instance; retry shortly", 1);
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                leave(kind);
            }
        });
    }

    static Kind kindOf(Object request) {
        if (request instanceof KeyLookup key) {
            return key.token().isEmpty() ? Kind.KEY_LOOKUPS : Kind.TOKEN_WAITS;
        }
        if (request instanceof RangeRequest range) {
            return range.paged() ? Kind.PAGES : range.localOnly() ? Kind.PARTS : Kind.WHOLE_STORE;
        }
        if (request instanceof UiRequest) {
            return Kind.UI;
        }
        if (request instanceof RequestBody || request == null) {
            return Kind.INGEST;
        }
        throw new IllegalStateException("no class of request for " + request.getClass().getSimpleName());
    }

    boolean enter(Kind kind) {
        AtomicInteger count = inFlight.get(kind);
        if (count.incrementAndGet() > bounds.get(kind)) {
            count.decrementAndGet();
            refused.get(kind).incrementAndGet();
            return false;
        }
        return true;
    }

    void leave(Kind kind) {
        inFlight.get(kind).decrementAndGet();
    }

    /** Requests of this class in flight now. */
    public int inFlight(Kind kind) {
        return inFlight.get(kind).get();
    }

    /** Requests of this class refused so far. */
    public long refused(Kind kind) {
        return refused.get(kind).get();
    }

    /**
     * {@code wordcount_iq_requests_in_flight{class}} and {@code wordcount_iq_requests_refused_total{class}} in
     * /observe/metrics.
     */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        for (Kind kind : Kind.values()) {
            io.micrometer.core.instrument.Gauge.builder("wordcount.iq.requests.in.flight", inFlight.get(kind),
                            AtomicInteger::get)
                    .description("Requests in flight per class (each has a bound; past it the answer is 503)")
                    .tag("class", tag(kind)).register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("wordcount.iq.requests.refused", refused.get(kind),
                            AtomicLong::get)
                    .description("Requests refused with 503 because their class was at its bound")
                    .tag("class", tag(kind)).register(registry);
        }
    }

    /** The metric tag of a class: key_lookups, token_waits, … */
    public static String tag(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
