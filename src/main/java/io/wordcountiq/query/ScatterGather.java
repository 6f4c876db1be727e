package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreParts;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.TraceParent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions of the whole-store routes (routes/whole-store, routes/scatter-gather): "all" and range read this
 * instance's part and every other instance's part (each asked in local-only mode, all at once), and merge them in
 * key order as the parts arrive. Nothing waits: the parts are streams, the merge runs on the request's event loop,
 * and this instance's own part is read on the whole-store pool.
 *
 * <p>Without {@code limit} the answer streams: status and headers are decided once every part has its first entry
 * (or has ended, or failed: then it is missing, named in X-IQ-Missing, or a 503 with {@code strict=true}); the body
 * is written as the client takes it; a part that fails half way cuts the answer (no final chunk), so a client never
 * takes a cut answer for a whole one. With {@code limit=N} (and {@code after=K}) every part returns at most N + 1
 * entries after K, the merge keeps the first N, and a {@code Link: rel="next"} points at the rest; a page is strict:
 * a partition that cannot be read makes it a 503, so the cursor never moves past keys it did not see.
 */
public class ScatterGather {

    private static final Logger LOG = LoggerFactory.getLogger(ScatterGather.class);

    private final StoreMetadata metadata;
    private final LocalParts localParts;
    private final ForwardMarker marker;
    private final Tokens tokens;

    public ScatterGather(StoreMetadata metadata, LocalParts localParts, ForwardMarker marker, Tokens tokens) {
        this.metadata = metadata;
        this.localParts = localParts;
        this.marker = marker;
        this.tokens = tokens;
    }

    /**
     * An observer, or a peer asked for its part, answers from local state (the request itself is the result); anyone
     * else plans a {@link Gather} and the calls for every peer's part.
     */
    public QueryResult plan(Exchange exchange) {
        RangeRequest request = exchange.getMessage().getBody(RangeRequest.class);
        boolean alone = metadata.isObserver() || request.localOnly();
        List<HostInfo> peers = alone ? List.of() : metadata.peersOf(request.store());
        Gather gather = new Gather(request, peers, alone ? Set.of() : metadata.allActivePartitions(), new StoreParts());
        exchange.setProperty(Headers.GATHER, gather);
        // Whatever happens to the request, every part opened for it is closed when it is done.
        closeWhenDone(exchange, gather.parts()::closeAll);
        if (!alone) {
            TraceParent trace = exchange.getProperty(Headers.TRACE, TraceParent.class);
            exchange.setProperty(Headers.PEER_CALL, peers.stream().map(peer -> partCall(peer, request, trace)).toList());
        }
        return gather;
    }

    /** A peer's part: the same request in local-only mode, marked as forwarded, read as it arrives. */
    private PeerCall partCall(HostInfo peer, RangeRequest request, TraceParent trace) {
        Map<String, String> headers = new HashMap<>(4);
        headers.put(Headers.FORWARDED, marker.sign(RecipientPlanner.address(peer), "GET", request.path(), request.hopQuery(), System.currentTimeMillis()));
        headers.put(Headers.HOPS, "1");
        if (!request.token().isEmpty()) {
            headers.put(Headers.TOKEN, tokens.encode(request.token()));
        }
        if (trace != null) {
            headers.put(Headers.TRACEPARENT, trace.child().header());
        }
        return new PeerCall(RecipientPlanner.address(peer), request.path(), request.hopQuery(), headers,
                PeerCall.Mode.STREAMED);
    }

    /** Every peer has answered (routes/scatter-gather): each 200 becomes a part; any other answer leaves it missing. */
    public void gathered(Exchange exchange) {
        Gather gather = exchange.getProperty(Headers.GATHER, Gather.class);
        Caller caller = Callers.of(exchange);
        @SuppressWarnings("unchecked")
        List<PeerReply> replies = exchange.getMessage().getBody(List.class);
        for (PeerReply reply : replies) {
            if (reply instanceof PeerReply.Answered answered && answered.status() == 200 && answered.stream() != null) {
                StorePart part = new StorePart(answered.address(), new PeerEntries(answered.stream(), caller.loop()),
                        partitions(answered.header(Headers.PARTITIONS)), tokens.decode(answered.header(Headers.TOKEN)));
                if (!gather.parts().add(part)) {
                    part.entries().close();
                }
            } else {
                LOG.debug("Part of {} not read: {}", reply.address(), reply);
            }
        }
    }

    /**
     * This instance's part, then every part's first entry; then the answer: a whole answer (streamed), a partial one
     * (X-IQ-Missing), a page, a peer's own part, or a 503. Completes on the request's event loop.
     */
    public CompletionStage<QueryResult> answer(Exchange exchange) {
        Gather gather = exchange.getProperty(Headers.GATHER, Gather.class);
        RangeRequest request = gather.request();
        return localParts.open(request, Callers.of(exchange)).thenCompose(local -> {
            if (!gather.parts().add(local)) {
                local.entries().close();
            }
            if (request.localOnly()) {
                return CompletableFuture.completedFuture(new Streamed(EntriesJson.body(local.entries(), () -> { }), null,
                        local.partitions(), local.token()));
            }
            if (metadata.isObserver()) {
                return answer(request, List.of(local), null);
            }
            return decide(gather);
        });
    }

    /** Every part's first entry, then the answer they make (every part of the gather is open). */
    static CompletionStage<QueryResult> decide(Gather gather) {
        return primed(gather.parts()).thenCompose(parts -> merge(gather, parts));
    }

    /** Every part's first entry (or its end, or its failure): then a part that failed already is dropped (missing). */
    private static CompletionStage<List<StorePart>> primed(StoreParts all) {
        List<StorePart> parts = all.seal();
        CompletableFuture<List<StorePart>> out = new CompletableFuture<>();
        MergedEntries.demandAll(parts.stream().map(StorePart::entries).toList(), () -> out.complete(parts.stream().filter(p -> {
            if (p.entries().failure() != null) {
                LOG.debug("Part of {} failed before its first entry: {}", p.host(), p.entries().failure().toString());
                p.entries().close();
                return false;
            }
            return true;
        }).toList()));
        return out;
    }

    private static CompletionStage<QueryResult> merge(Gather gather, List<StorePart> parts) {
        RangeRequest request = gather.request();
        Set<String> answered = parts.stream().map(StorePart::host).collect(Collectors.toSet());
        List<String> missingHosts = gather.peers().stream().map(RecipientPlanner::address)
                .filter(h -> !answered.contains(h)).toList();
        Set<Integer> missingPartitions = new TreeSet<>(gather.expectedPartitions());
        parts.forEach(p -> missingPartitions.removeAll(p.partitions()));
        boolean complete = missingHosts.isEmpty() && missingPartitions.isEmpty();
        if (!complete && (request.strict() || request.paged())) {
            gather.parts().closeAll();
            return CompletableFuture.completedFuture(new QueryResult.Failed(new ApiError(503, request.paged()
                    ? "part of the store cannot be read right now; a page is never partial: retry it shortly"
                    : "part of the store did not answer and strict=true", 1,
                    Map.of("missingInstances", missingHosts, "missingPartitions", missingPartitions))));
        }
        List<String> missing = new ArrayList<>(missingHosts);
        missingPartitions.forEach(p -> missing.add("partition-" + p));
        return answer(request, parts, complete ? null : missing);
    }

    /** The parts merged: a page (bounded) or the whole answer, streamed. */
    private static CompletionStage<QueryResult> answer(RangeRequest request, List<StorePart> parts, List<String> missing) {
        EntrySource merged = new MergedEntries(parts.stream().map(StorePart::entries).toList());
        ConsistencyToken token = request.token();
        for (StorePart part : parts) {
            token = token.merge(part.token());
        }
        if (!request.paged()) {
            return CompletableFuture.completedFuture(new Streamed(EntriesJson.body(merged, () -> { }), missing, null, token));
        }
        ConsistencyToken pageToken = token;
        return EntriesJson.collect(merged, request.limit() + 1).thenApply(entries -> {
            boolean more = entries.size() > request.limit();
            List<KeyValueBean> page = more ? entries.subList(0, request.limit()) : entries;
            return new Page(EntriesJson.write(page), more ? next(request, page.get(page.size() - 1).key()) : null,
                    pageToken);
        });
    }

    /**
     * The page after {@code lastKey}: the same path and query, the cursor moved. Replies makes it the
     * {@code Link: <…>; rel="next"} (RFC 8288) and adds the page's token.
     */
    static String next(RangeRequest request, String lastKey) {
        StringBuilder query = new StringBuilder("limit=").append(request.limit())
                .append("&after=").append(io.wordcountiq.model.PathSegments.encode(lastKey));
        if (request.strict()) {
            query.append("&strict=true");
        }
        if (request.maxLag() != null) {
            query.append("&maxLag=").append(request.maxLag());
        }
        return request.path() + "?" + query;
    }

    private static void closeWhenDone(Exchange exchange, Runnable close) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                close.run();
            }
        });
    }

    /** The X-IQ-Partitions header of a peer's part: the partitions it covers, comma-separated. */
    static Set<Integer> partitions(String header) {
        Set<Integer> out = new TreeSet<>();
        if (header != null && !header.isBlank()) {
            for (String p : header.split(",")) {
                out.add(Integer.parseInt(p.trim()));
            }
        }
        return out;
    }

    static String join(Set<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
