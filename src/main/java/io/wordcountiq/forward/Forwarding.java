package io.wordcountiq.forward;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.forward.ForwardWalk.Tried;
import io.wordcountiq.http.Callers;
import io.wordcountiq.lookup.LocalReads;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Json;
import io.wordcountiq.wire.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions of the forward route (routes/forward.camel.yaml) for a key that lives elsewhere: the recipient list,
 * which host to ask next, what each reply means, and what the client gets when the walk ends.
 *
 * <p>The route goes round the key's holders (owner, standbys least lag first, every other host of the store; hosts
 * that just failed last) until an answer settles the walk. Between rounds it reads this instance's own copy, if it
 * has one, pauses briefly and plans again from fresh metadata, all within REQUEST_TIMEOUT_MS. So while state moves
 * between instances the client waits a little instead of getting a 503, and a 404 is given only by a copy that
 * knows (the processing active copy, or a caught-up standby). The route's conditions ({@link #anotherRound},
 * {@link #hasNext}, {@link #unsettled}) are registry predicates (walkAnotherRound, walkHasNext, walkUnsettled):
 * Camel evaluates a bean method expression on a copy of the exchange, a predicate on the exchange itself.
 */
public class Forwarding {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    private final StoreMetadata metadata;
    private final LocalReads localReads;
    private final ForwardMarker marker;
    private final PeerHealth health;
    private final Tokens tokens;
    private final long requestTimeoutMs;

    public Forwarding(StoreMetadata metadata, LocalReads localReads, ForwardMarker marker, PeerHealth health,
                      Tokens tokens, long requestTimeoutMs) {
        this.metadata = metadata;
        this.localReads = localReads;
        this.marker = marker;
        this.health = health;
        this.tokens = tokens;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Plans the walk of a {@link NotLocal} result. */
    public void start(Exchange exchange) {
        NotLocal notLocal = exchange.getMessage().getBody(NotLocal.class);
        exchange.setProperty(ExchangeProperties.WALK, new ForwardWalk(notLocal.request(), notLocal.placement(),
                recipients(notLocal.request(), notLocal.placement(), notLocal.placement().role() == Placement.Role.UNKNOWN),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs)));
    }

    /** The rounds loop's condition: nothing settled the walk, and there is time for a pause and another round. */
    public boolean anotherRound(Exchange exchange) {
        return walk(exchange).anotherRound(System.nanoTime());
    }

    /** The round's loop condition: a holder of this round is left to ask, and the deadline has not passed. */
    public boolean hasNext(Exchange exchange) {
        return walk(exchange).hasNext(System.nanoTime());
    }

    /** Nothing has settled the walk yet: the end-of-round steps run only then. */
    public boolean unsettled(Exchange exchange) {
        return walk(exchange).answer() == null;
    }

    /**
     * Addresses the next host: a {@link PeerCall} built from the typed request (its canonical path and query, never
     * what the client sent), marked as forwarded, with the token and the trace. Only metadata chooses the target.
     */
    public void address(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        HostInfo host = walk.advance();
        KeyLookup request = walk.request();
        Map<String, String> headers = new HashMap<>(4);
        headers.put(Headers.FORWARDED, marker.sign(RecipientPlanner.address(host), "GET", request.path(), request.hopQuery(), System.currentTimeMillis()));
        headers.put(Headers.HOPS, "1");
        if (!request.token().isEmpty()) {
            headers.put(Headers.TOKEN, tokens.encode(request.token()));
        }
        TraceParent trace = exchange.getProperty(ExchangeProperties.TRACE, TraceParent.class);
        if (trace != null) {
            headers.put(Headers.TRACEPARENT, trace.child().header());
        }
        exchange.setProperty(ExchangeProperties.PEER_CALL, new PeerCall(RecipientPlanner.address(host), request.path(),
                request.hopQuery(), headers, PeerCall.Mode.BUFFERED));
    }

    /**
     * A host's reply: an answer settles the walk; a 404 that may not know, a 421 or a 503 moves on; a host that
     * could not be reached (or a proxy on the way that says so) is asked last for a while.
     */
    public void reply(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        PeerReply reply = exchange.getMessage().getBody(PeerReply.class);
        if (reply instanceof PeerReply.Failed failed) {
            LOG.debug("Forward to {} failed: {}", walk.current(), failed.reason());
            walk.record(failed.failure() == PeerReply.Failure.TIMEOUT ? Result.TIMEOUT
                    : failed.failure() == PeerReply.Failure.REFUSED ? Result.REFUSED : Result.FAILED, null);
            return;
        }
        PeerReply.Answered answered = (PeerReply.Answered) reply;
        int status = answered.status();
        boolean fromInstance = answered.fromInstance();
        if (!fromInstance && status >= 502 && status <= 504) {
            // A proxy on the way (an ingress) answered for an instance it could not reach: as good as refused.
            walk.record(status == 504 ? Result.TIMEOUT : Result.REFUSED, status);
            return;
        }
        Copy copy = Copy.parse(answered.header(Headers.COPY), answered.header(Headers.LAG));
        Result result = classify(status, fromInstance, copy, walk.request().statesFreshness());
        if (result == Result.REPLIED) {
            walk.settle(relayed(answered));
        } else if (result == Result.PROVISIONAL) {
            walk.record(result, status);
            walk.keepProvisional(relayed(answered), copy);
        } else if (result == Result.UNAVAILABLE) {
            walk.record(result, status, reason(body(answered.body())));
        } else {
            walk.record(result, status);
        }
    }

    private static Relayed relayed(PeerReply.Answered reply) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Headers.RELAYED) {
            String value = reply.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new Relayed(reply.status(), body(reply.body()), headers);
    }

    /**
     * What one reply from a host means for the walk. With {@code freshnessStated} (maxLag, a token) the peer answered
     * only from a copy fresh enough for the request, so any copy's answer settles the walk.
     */
    static Result classify(int status, boolean fromInstance, Copy copy, boolean freshnessStated) {
        if (freshnessStated && fromInstance && copy != null && (status == 200 || status == 404)) {
            return Result.REPLIED;
        }
        if (status == 200 && fromInstance && copy != null && !copy.caughtUp()) {
            // A copy still restoring, or a standby that may lag behind (a new one still restoring too): a caught-up
            // copy is sought, and this answer kept as a last resort.
            return Result.PROVISIONAL;
        }
        if (status == 404) {
            // Only a copy that knows may say "not found"; any other 404 (a restoring copy, an ingress's default
            // backend, a route being swapped) means this host did not answer for the key.
            return fromInstance && copy != null && copy.authoritative() ? Result.REPLIED : Result.NOT_FOUND;
        }
        if (!fromInstance) {
            return status >= 500 ? Result.FAILED : Result.REPLIED;
        }
        if (status == 421) {
            return Result.NOT_HOSTED;
        }
        if (status == 403) {
            // It took the hop for a client's request (its mark was not for it: an application.server that leads
            // somewhere else, or FORWARD_SECRET differs): not an answer for the key.
            return Result.FAILED;
        }
        if (status == 503) {
            return Result.UNAVAILABLE;
        }
        return status >= 500 ? Result.FAILED : Result.REPLIED;
    }

    /**
     * After a round that settled nothing: this instance's own copy of the partition, if it has one, then a stale
     * answer kept during the round, if it comes from the key's restoring active task or a standby of known lag, or if
     * no other round fits before the deadline ({@link ForwardWalk#settleProvisional}). A caught-up copy here answers; one that may
     * lag behind is kept like a remote one.
     */
    public CompletionStage<Void> endRound(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        Placement placement = walk.placement();
        if (walk.answer() != null) {
            return CompletableFuture.completedFuture(null);
        }
        if (placement.role() != Placement.Role.STANDBY && placement.role() != Placement.Role.ACTIVE) {
            walk.settleProvisional(System.nanoTime());
            return CompletableFuture.completedFuture(null);
        }
        // One look at the copy here: no wait for a token (the deadline is now).
        return localReads.readCovering(walk.request().asLocalOnly(), placement.partition(), System.nanoTime(),
                Callers.of(exchange)).thenAccept(own -> {
                    if (own instanceof Found found && !found.copy().caughtUp()) {
                        walk.keepProvisional(own, found.copy());
                    } else if (own instanceof Found || (own instanceof Absent absent && absent.copy().authoritative())) {
                        walk.settleHere(own);
                        return;
                    }
                    walk.settleProvisional(System.nanoTime());
                });
    }

    /** The next round's recipients, from fresh metadata: a rebalance may have moved the key's partition. */
    public void nextRound(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        if (walk.answer() != null) {
            return;
        }
        Placement placement;
        try {
            placement = metadata.placementNow(walk.request().store(), walk.request().key());
        } catch (ApiError notReady) {
            placement = walk.placement();
        }
        List<HostInfo> next;
        try {
            // Hosts without a copy only when the metadata may be stale: a holder said it has none, none is known, or
            // rounds went by.
            next = recipients(walk.request(), placement, walk.anyTried(Result.NOT_HOSTED)
                    || placement.role() == Placement.Role.UNKNOWN || walk.rounds() >= 2);
        } catch (ApiError notReady) {
            next = List.of();
        }
        walk.newRound(placement, next);
    }

    /** Turns the ended walk into the client's answer. */
    public QueryResult settle(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        if (walk.lastResort() != null) {
            return walk.lastResort();
        }
        List<Tried> tried = walk.tried();
        Map<String, Object> details = Map.of("tried", tried.stream().map(Forwarding::describe).toList());
        if (!walk.everHadRecipients()) {
            Map<String, Map<String, Object>> unreachable = health.unreachable();
            return unreachable.isEmpty()
                    ? new Failed(new ApiError(503, "no other instance hosts this store right now", 1, details))
                    : new Failed(new ApiError(503, "no instance holding this key can be reached from this instance right "
                            + "now", 1, Map.of("tried", List.of(), "unreachable", unreachable.keySet())));
        }
        if (tried.isEmpty()) {
            return new Failed(new ApiError(503, "request deadline passed before any instance was asked", 1, details));
        }
        boolean timeouts = walk.anyTried(Result.TIMEOUT);
        boolean answered = walk.anyTried(Result.UNAVAILABLE) || walk.anyTried(Result.NOT_FOUND)
                || walk.anyTried(Result.NOT_HOSTED);
        if (timeouts && !answered) {
            return new Failed(new ApiError(504, "no instance answered in time", 1, details));
        }
        String unanswered = walk.request().token().isEmpty()
                ? "no copy of this key's partition could answer yet; its state is moving between instances"
                : "no copy of this key's partition could answer as fresh as X-IQ-Token asks yet (see each reason)";
        return new Failed(new ApiError(503, answered ? unanswered : "no instance holding this key could be reached", 1,
                details));
    }

    /** One host tried, as the client sees it in an error's "tried" list: {"host":…,"result":…[,"reason":…]}. */
    public static Map<String, String> describe(Tried tried) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("host", tried.host());
        out.put("result", tried.result().name().toLowerCase(Locale.ROOT));
        if (tried.reason() != null) {
            out.put("reason", tried.reason());
        }
        return out;
    }

    /** The "error" of an instance's JSON error body (its own words for why it cannot answer), or null. */
    public static String reason(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode error = Json.MAPPER.readTree(body).get("error");
            return error == null || !error.isTextual() ? null : error.asText();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The hosts to ask, reachable ones only: nearest first for a request that says how fresh it must be, else owner
     * first; the store's other hosts too when {@code othersToo}.
     */
    private List<HostInfo> recipients(KeyLookup request, Placement placement, boolean othersToo) {
        String store = request.store();
        List<HostInfo> planned;
        if (request.statesFreshness()) {
            Map<HostInfo, Long> lags = placement.role() == Placement.Role.UNKNOWN ? Map.of()
                    : metadata.peerLagsOf(placement.partition());
            planned = new java.util.ArrayList<>(RecipientPlanner.nearest(metadata.selfHost(), metadata.clusterName(),
                    placement.metadata(), lags, h -> metadata.clusterOf(RecipientPlanner.address(h)), request.maxLag()));
            if (othersToo) {
                ownerFirst(store, placement, true).stream().filter(h -> !planned.contains(h)).forEach(planned::add);
            }
        } else if (othersToo) {
            planned = ownerFirst(store, placement, true);
        } else {
            planned = metadata.recipients(store, placement, () -> ownerFirst(store, placement, false));
        }
        return health.reachableOf(planned);
    }

    /** Owner first, from the metadata and the peers' lags as they are now. */
    private List<HostInfo> ownerFirst(String store, Placement placement, boolean othersToo) {
        return RecipientPlanner.order(metadata.selfHost(), placement.metadata(),
                othersToo ? metadata.hostsOf(store) : List.of(),
                placement.role() == Placement.Role.UNKNOWN ? Map.of() : metadata.peerLagsOf(placement.partition()));
    }

    /** A reply's body as text. */
    public static String body(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    private static ForwardWalk walk(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.WALK, ForwardWalk.class);
    }
}
