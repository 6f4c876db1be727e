package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.http.Callers;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PartitionList;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreParts;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.wire.EntriesJson;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the whole-store routes (routes/whole-store, routes/scatter-gather): "all" and range read this
 * instance's part and every reachable peer's part (each asked in local-only mode, all at once, as streams), then,
 * for partitions whose active copy could not be reached, a standby's part ({@link StandbyParts}); the parts are
 * merged in key order as they arrive ({@link WholeStoreAnswer}). Nothing waits: the merge runs on the request's
 * event loop, and this instance's own part is read on the whole-store pool ({@link LocalParts}).
 */
public class ScatterGather {

    private static final Logger LOG = LoggerFactory.getLogger(ScatterGather.class);

    private final StoreMetadata metadata;
    private final LocalParts localParts;
    private final ForwardMarker marker;
    private final Tokens tokens;
    private final PeerHealth health;

    public ScatterGather(StoreMetadata metadata, LocalParts localParts, ForwardMarker marker, Tokens tokens,
                         PeerHealth health) {
        this.metadata = metadata;
        this.localParts = localParts;
        this.marker = marker;
        this.tokens = tokens;
        this.health = health;
    }

    /**
     * An observer, or a peer asked for its part, answers from local state (the request itself is the result); anyone
     * else plans a {@link Gather} and the calls for every reachable peer's part.
     */
    public QueryResult plan(Exchange exchange) {
        RangeRequest request = exchange.getMessage().getBody(RangeRequest.class);
        boolean alone = metadata.isObserver() || request.localOnly();
        List<HostInfo> peers = alone ? List.of() : metadata.peersOf(request.store());
        Gather gather = new Gather(request, peers, alone ? Set.of() : metadata.allActivePartitions(), new StoreParts());
        exchange.setProperty(ExchangeProperties.GATHER, gather);
        // Whatever happens to the request, every part opened for it is closed when it is done.
        closeWhenDone(exchange, gather.parts()::closeAll);
        if (!alone) {
            TraceParent trace = exchange.getProperty(ExchangeProperties.TRACE, TraceParent.class);
            exchange.setProperty(ExchangeProperties.PEER_CALL, health.reachableOf(peers).stream()
                    .map(peer -> partCall(peer, request, trace)).toList());
        }
        return gather;
    }

    /** A peer's part: the same request in local-only mode, marked as forwarded, read as it arrives. */
    private PeerCall partCall(HostInfo peer, RangeRequest request, TraceParent trace) {
        Map<String, String> headers = new HashMap<>(4);
        String address = RecipientPlanner.address(peer);
        headers.put(Headers.FORWARDED, marker.sign(address, "GET", request.path(), request.hopQuery(),
                System.currentTimeMillis()));
        headers.put(Headers.HOPS, "1");
        if (!request.token().isEmpty()) {
            headers.put(Headers.TOKEN, tokens.encode(request.token()));
        }
        if (trace != null) {
            headers.put(Headers.TRACEPARENT, trace.child().header());
        }
        return new PeerCall(address, request.path(), request.hopQuery(), headers, PeerCall.Mode.STREAMED);
    }

    /**
     * The peers have answered (routes/scatter-gather): each 200 becomes a part; any other answer leaves its partitions
     * missing. The first time, the calls for the missing partitions' standbys are planned (the route's next call).
     */
    public void gathered(Exchange exchange) {
        Gather gather = exchange.getProperty(ExchangeProperties.GATHER, Gather.class);
        Caller caller = Callers.of(exchange);
        @SuppressWarnings("unchecked")
        List<PeerReply> replies = exchange.getMessage().getBody(List.class);
        for (PeerReply reply : replies) {
            if (reply instanceof PeerReply.Answered answered && answered.status() == 200 && answered.stream() != null) {
                StorePart part = new StorePart(answered.address(), new PeerEntries(answered.stream(), caller.loop()),
                        PartitionList.parse(answered.header(Headers.PARTITIONS)), tokens.decode(answered.header(Headers.TOKEN)),
                        lag(answered));
                if (!gather.parts().add(part)) {
                    part.entries().close();
                }
            } else {
                LOG.debug("Part of {} not read: {}", reply.address(), reply);
            }
        }
        List<PeerCall> fallback = List.of();
        if (gather.fallbackPlanned().compareAndSet(false, true)) {
            fallback = standbyCalls(exchange, gather, replies);
        }
        exchange.setProperty(ExchangeProperties.PEER_CALL, fallback);
    }

    /** The calls for the partitions nobody answered for, to their standbys; this instance's own go to ownStandby. */
    private List<PeerCall> standbyCalls(Exchange exchange, Gather gather, List<PeerReply> replies) {
        StoreMetadata.Holders holders = metadata.holdersOf(gather.request().store());
        Set<Integer> missing = new TreeSet<>(gather.expectedPartitions());
        missing.removeAll(holders.activeOf(metadata.selfHost()));
        for (StorePart part : gather.parts().snapshot()) {
            missing.removeAll(part.partitions());
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        Set<String> failed = new HashSet<>();
        replies.forEach(r -> failed.add(r.address()));
        gather.parts().snapshot().forEach(p -> failed.remove(p.host()));
        String cluster = metadata.clusterName();
        StandbyParts plan = StandbyParts.plan(missing, holders.standbys(), metadata.selfHost(),
                h -> !failed.contains(RecipientPlanner.address(h)) && health.reachable(RecipientPlanner.address(h)),
                h -> !cluster.isEmpty() && cluster.equals(metadata.clusterOf(RecipientPlanner.address(h))),
                metadata::peerLagsOf, gather.request().maxLag());
        gather.ownStandby().addAll(plan.own());
        LOG.debug("Partitions {} read from standbys: here {}, at {}", missing, plan.own(), plan.peers());
        TraceParent trace = exchange.getProperty(ExchangeProperties.TRACE, TraceParent.class);
        List<PeerCall> calls = new ArrayList<>();
        plan.peers().forEach((peer, partitions) -> calls.add(partCall(peer, gather.request().ofPartitions(partitions),
                trace)));
        return calls;
    }

    /**
     * This instance's part (and its standbys' part of partitions nobody else could give), then every part's first
     * entry; then the answer. A peer asked for its part answers its own, streamed. Completes on the request's event
     * loop.
     */
    public CompletionStage<QueryResult> answer(Exchange exchange) {
        Gather gather = exchange.getProperty(ExchangeProperties.GATHER, Gather.class);
        RangeRequest request = gather.request();
        Caller caller = Callers.of(exchange);
        CompletionStage<Void> own = localParts.open(request, caller).thenAccept(local -> add(gather, local));
        if (!gather.ownStandby().isEmpty()) {
            own = own.thenCompose(v -> localParts.open(request.ofPartitions(gather.ownStandby()), caller)
                    .thenAccept(standby -> add(gather, standby)));
        }
        return own.thenCompose(v -> {
            if (request.localOnly()) {
                StorePart local = gather.parts().snapshot().get(0);
                return CompletableFuture.completedFuture(new Streamed(EntriesJson.body(local.entries(), () -> { }), null,
                        local.partitions(), local.token(), local.lag()));
            }
            if (metadata.isObserver()) {
                return WholeStoreAnswer.answer(request, gather.parts().seal(), null);
            }
            return WholeStoreAnswer.decide(gather);
        });
    }

    private static void add(Gather gather, StorePart part) {
        if (!gather.parts().add(part)) {
            part.entries().close();
        }
    }

    /** A part read from standbys says how far behind they are (X-IQ-Stale, X-IQ-Lag; -1 when not known). */
    private static Long lag(PeerReply.Answered answered) {
        if (!"true".equals(answered.header(Headers.STALE))) {
            return null;
        }
        try {
            return Long.parseLong(answered.header(Headers.LAG));
        } catch (NumberFormatException | NullPointerException e) {
            return -1L;
        }
    }

    private static void closeWhenDone(Exchange exchange, Runnable close) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                close.run();
            }
        });
    }
}
