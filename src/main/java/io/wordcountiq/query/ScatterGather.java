package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreParts;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions of the whole-store routes (routes/whole-store, routes/scatter-gather): "all" and range read this
 * instance's part and every other instance's part (each asked in local-only mode), and merge them in key order.
 *
 * <p>Without {@code limit} the answer streams: status and headers are decided once every part is open and its first
 * entry read (a partial answer says so in X-IQ-Missing, or is a 503 with {@code strict=true}); the body is written
 * as the merge produces it; a part that fails half way cuts the answer (no final chunk), so a client never takes a
 * cut answer for a whole one. With {@code limit=N} (and {@code after=K}) every part returns at most N + 1 entries
 * after K, the merge keeps the first N, and a {@code Link: rel="next"} points at the rest; a page is strict: a
 * partition that cannot be read makes it a 503, so the cursor never moves past keys it did not see.
 */
public class ScatterGather {

    private static final Logger LOG = LoggerFactory.getLogger(ScatterGather.class);

    private final StoreMetadata metadata;
    private final LocalReads localReads;
    private final PeerParts peerParts;
    /** Whole-store requests of clients at once (beyond it 503), and parts read for peers (beyond it missing). */
    private final WholeStoreLimits limits;

    public ScatterGather(StoreMetadata metadata, LocalReads localReads, PeerParts peerParts, int concurrency) {
        this.metadata = metadata;
        this.localReads = localReads;
        this.peerParts = peerParts;
        this.limits = new WholeStoreLimits(concurrency);
    }

    /**
     * An observer, or a peer asked for its part, answers from local state; anyone else plans a {@link Gather} with
     * its own part open. At most WHOLE_STORE_CONCURRENCY of each kind run at once, pages not counted
     * ({@link WholeStoreLimits}).
     */
    public QueryResult plan(Exchange exchange) {
        RangeRequest request = exchange.getMessage().getBody(RangeRequest.class);
        if (metadata.isObserver()) {
            return answer(request, List.of(new StorePart(metadata.self(), localReads.globalRange(request), Set.of())),
                    null, null);
        }
        Runnable admitted = limits.admit(request);
        if (request.localOnly()) {
            if (admitted == null) {
                return new Unavailable("too many whole-store reads at once; retry shortly");
            }
            closeWhenDone(exchange, admitted);
            StorePart part = localReads.range(request);
            EntrySource entries = part.entries();
            closeWhenDone(exchange, entries::close);
            if (request.paged()) {
                // One more than asked: the asking instance learns whether more entries follow.
                String json = EntriesJson.write(EntriesJson.take(entries, request.limit() + 1));
                return new Streamed(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), null,
                        part.partitions(), part.token());
            }
            return new Streamed(EntriesJson.stream(entries), null, part.partitions(), part.token());
        }
        if (admitted == null) {
            return new QueryResult.Failed(new ApiError(503, "too many whole-store requests at once; retry shortly", 1));
        }
        closeWhenDone(exchange, admitted);
        List<HostInfo> peers = metadata.peersOf(request.store());
        Set<Integer> expected = metadata.allActivePartitions();
        Gather gather = new Gather(request, peers, expected, new StoreParts(localReads.range(request)));
        exchange.setProperty(Headers.GATHER, gather);
        // Whatever happens to the request, every part opened for it is closed when it is done (after a streamed
        // answer is written, they are closed already).
        closeWhenDone(exchange, gather.parts()::closeAll);
        return gather;
    }

    /** The scatter-gather route's split: opens one peer's part (the body is the peer); a failed peer is missing. */
    public void openPart(Exchange exchange) {
        Gather gather = exchange.getProperty(Headers.GATHER, Gather.class);
        HostInfo peer = exchange.getMessage().getBody(HostInfo.class);
        try {
            StorePart part = peerParts.open(peer, gather.request(),
                    exchange.getProperty(Headers.TRACE, io.wordcountiq.model.TraceParent.class));
            if (!gather.parts().add(part)) {
                part.entries().close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Part of {} not read: {}", RecipientPlanner.address(peer), e.toString());
        }
    }

    /** Every part is open: decides the answer (whole, partial, refused) and merges the parts into it. */
    public QueryResult merge(Exchange exchange) {
        Gather gather = exchange.getProperty(Headers.GATHER, Gather.class);
        List<StorePart> parts = gather.parts().seal();
        Set<String> answered = parts.stream().map(StorePart::host).collect(Collectors.toSet());
        List<String> missingHosts = gather.peers().stream().map(RecipientPlanner::address)
                .filter(h -> !answered.contains(h)).toList();
        Set<Integer> missingPartitions = new TreeSet<>(gather.expectedPartitions());
        parts.forEach(p -> missingPartitions.removeAll(p.partitions()));
        boolean complete = missingHosts.isEmpty() && missingPartitions.isEmpty();
        RangeRequest request = gather.request();
        if (!complete && (request.strict() || request.paged())) {
            gather.parts().closeAll();
            return new QueryResult.Failed(new ApiError(503, request.paged()
                    ? "part of the store cannot be read right now; a page is never partial: retry it shortly"
                    : "part of the store did not answer and strict=true", 1,
                    Map.of("missingInstances", missingHosts, "missingPartitions", missingPartitions)));
        }
        List<String> missing = new ArrayList<>(missingHosts);
        missingPartitions.forEach(p -> missing.add("partition-" + p));
        return answer(request, parts, complete ? null : missing, null);
    }

    /** The parts merged: a page (bounded) or the whole answer, streamed. */
    private static QueryResult answer(RangeRequest request, List<StorePart> parts, List<String> missing,
                                      Set<Integer> partitions) {
        EntrySource merged = new MergedEntries(parts.stream().map(StorePart::entries).toList());
        ConsistencyToken token = request.token();
        for (StorePart part : parts) {
            token = token.merge(part.token());
        }
        if (!request.paged()) {
            return new Streamed(EntriesJson.stream(merged), missing, partitions, token);
        }
        List<KeyValueBean> page = EntriesJson.take(merged, request.limit() + 1);
        boolean more = page.size() > request.limit();
        if (more) {
            page = page.subList(0, request.limit());
        }
        return new Page(EntriesJson.write(page), more ? next(request, page.get(page.size() - 1).key()) : null, token);
    }

    /**
     * The page after {@code lastKey}: the same path and query, the cursor moved. Replies makes it the
     * {@code Link: <…>; rel="next"} (RFC 8288) and adds the page's token.
     */
    static String next(RangeRequest request, String lastKey) {
        StringBuilder query = new StringBuilder("limit=").append(request.limit())
                .append("&after=").append(encode(lastKey));
        if (request.strict()) {
            query.append("&strict=true");
        }
        if (request.maxLag() != null) {
            query.append("&maxLag=").append(request.maxLag());
        }
        return request.path() + "?" + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void closeWhenDone(Exchange exchange, Runnable close) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                close.run();
            }
        });
    }

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
