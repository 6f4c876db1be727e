package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.PathSegments;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreParts;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.wire.EntriesJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer the parts of a whole-store request make, once every part has its first entry (or has ended, or failed:
 * then it is missing): whole, partial (X-IQ-Missing), or a 503 for a page or {@code strict=true} that misses a
 * partition; streamed, or one page with its {@code Link: rel="next"}; stale (X-IQ-Stale, X-IQ-Lag) when a part came
 * from standbys because a partition's active copy could not be reached.
 */
final class WholeStoreAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(WholeStoreAnswer.class);

    private WholeStoreAnswer() {
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
        Set<Integer> missingPartitions = new TreeSet<>(gather.expectedPartitions());
        parts.forEach(p -> missingPartitions.removeAll(p.partitions()));
        Set<String> answered = parts.stream().map(StorePart::host).collect(Collectors.toSet());
        // A peer that did not answer counts only while a partition is missing: its standbys may stand in for it.
        List<String> missingHosts = missingPartitions.isEmpty() ? List.of() : gather.peers().stream()
                .map(RecipientPlanner::address).filter(h -> !answered.contains(h)).toList();
        boolean complete = missingPartitions.isEmpty();
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
    static CompletionStage<QueryResult> answer(RangeRequest request, List<StorePart> parts, List<String> missing) {
        EntrySource merged = new MergedEntries(parts.stream().map(StorePart::entries).toList());
        ConsistencyToken token = request.token();
        Long stale = null;
        for (StorePart part : parts) {
            token = token.merge(part.token());
            stale = StorePart.staler(stale, part.lag());
        }
        if (!request.paged()) {
            return CompletableFuture.completedFuture(new Streamed(EntriesJson.body(merged, () -> { }), missing, null, token,
                    stale));
        }
        ConsistencyToken pageToken = token;
        Long pageStale = stale;
        return EntriesJson.collect(merged, request.limit() + 1).thenApply(entries -> {
            boolean more = entries.size() > request.limit();
            List<KeyValueBean> page = more ? entries.subList(0, request.limit()) : entries;
            return new Page(EntriesJson.write(page), more ? next(request, page.get(page.size() - 1).key()) : null,
                    pageToken, pageStale);
        });
    }

    /**
     * The page after {@code lastKey}: the same path and query, the cursor moved. Replies makes it the
     * {@code Link: <…>; rel="next"} (RFC 8288) and adds the page's token.
     */
    static String next(RangeRequest request, String lastKey) {
        StringBuilder query = new StringBuilder("limit=").append(request.limit())
                .append("&after=").append(PathSegments.encode(lastKey));
        if (request.strict()) {
            query.append("&strict=true");
        }
        if (request.maxLag() != null) {
            query.append("&maxLag=").append(request.maxLag());
        }
        return request.path() + "?" + query;
    }
}
