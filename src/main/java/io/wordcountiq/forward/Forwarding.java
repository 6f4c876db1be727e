package io.wordcountiq.forward;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.http.Callers;
import io.wordcountiq.lookup.LocalReads;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the forward route (routes/forward.camel.yaml) for a key that lives elsewhere: plan the walk
 * ({@link WalkRecipients}), address the next host, take its reply ({@link ReplyMeaning}), look at this instance's own
 * copy between rounds, and give the client what the walk came to ({@link WalkAnswer}).
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

    private final LocalReads localReads;
    private final ForwardMarker marker;
    private final PeerHealth health;
    private final Tokens tokens;
    private final long requestTimeoutMs;
    private final WalkRecipients recipients;

    public Forwarding(StoreMetadata metadata, LocalReads localReads, ForwardMarker marker, PeerHealth health,
                      Tokens tokens, long requestTimeoutMs) {
        this.localReads = localReads;
        this.marker = marker;
        this.health = health;
        this.tokens = tokens;
        this.requestTimeoutMs = requestTimeoutMs;
        this.recipients = new WalkRecipients(metadata, health);
    }

    /** Plans the walk of a {@link NotLocal} result. */
    public void start(Exchange exchange) {
        NotLocal notLocal = exchange.getMessage().getBody(NotLocal.class);
        // One deadline per client request, counted from its arrival: the time this instance already spent on it (its
        // own copy looked at, a token checked with Kafka) comes off the walk, so a walk never adds a whole
        // REQUEST_TIMEOUT_MS on top of it.
        long leftMs = Math.max(0, requestTimeoutMs - exchange.getClock().elapsed());
        exchange.setProperty(ExchangeProperties.WALK, new ForwardWalk(notLocal.request(), notLocal.placement(),
                recipients.first(notLocal.request(), notLocal.placement()),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leftMs)));
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
        // A hop ends by the walk's deadline: it gets at most what is left of it (FORWARD_TIMEOUT_MS otherwise).
        exchange.setProperty(ExchangeProperties.PEER_CALL, new PeerCall(RecipientPlanner.address(host), request.path(),
                request.hopQuery(), headers, PeerCall.Mode.BUFFERED, Math.max(1, walk.remainingMs(System.nanoTime()))));
    }

    /** A host's reply (or the failure to get one), taken as {@link ReplyMeaning} says. */
    public void reply(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        PeerReply reply = exchange.getMessage().getBody(PeerReply.class);
        if (reply instanceof PeerReply.Failed failed) {
            LOG.debug("Forward to {} failed: {}", walk.current(), failed.reason());
        }
        ReplyMeaning.apply(walk, reply);
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
        if (walk.answer() == null) {
            recipients.nextRound(walk);
        }
    }

    /** Turns the ended walk into the client's answer. */
    public QueryResult settle(Exchange exchange) {
        return WalkAnswer.of(walk(exchange), () -> health.unreachable().keySet());
    }




    private static ForwardWalk walk(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.WALK, ForwardWalk.class);
    }
}
