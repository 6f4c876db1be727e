package io.wordcountiq.model;

import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What a step of a query route produced. Routes branch on the type (routes/local-or-forward, routes/whole-store);
 * query/Replies turns every final result into the HTTP answer, so status codes and X-IQ-* headers have one home.
 */
public sealed interface QueryResult {

    /**
     * The state was read here (or merged here from every instance's part).
     *
     * @param json       the whole body
     * @param stale      a standby copy answered
     * @param missing    a whole-store answer is partial: the instances and partitions that did not answer; else null
     * @param partitions a peer's part of a whole-store answer: the partitions it covers; else null
     */
    record Found(String json, boolean stale, List<String> missing, Set<Integer> partitions) implements QueryResult {

        public Found(String json, boolean stale) {
            this(json, stale, null, null);
        }
    }

    /** This instance holds the key's partition and the key is not in it: 404. */
    record Absent(String key) implements QueryResult {
    }

    /** This instance cannot read the state right now (starting, rebalancing): 503 with Retry-After. */
    record Unavailable(String message) implements QueryResult {
    }

    /** The key lives elsewhere: routes/forward.camel.yaml walks its holders. */
    record NotLocal(StoreRequest.KeyLookup request, Placement placement) implements QueryResult {
    }

    /** Another instance's answer, passed on as it came: status, body and the API's headers. */
    record Relayed(int status, String body, String contentType, String servedBy, String stale, String retryAfter)
            implements QueryResult {
    }

    /**
     * A whole-store request that needs the other instances' parts: routes/scatter-gather.camel.yaml asks every peer
     * while this instance reads its own part.
     *
     * @param recipients         one camel-http URI per peer, for the route's recipient list
     * @param expectedPartitions every partition of the store, to tell a complete answer from a partial one
     * @param peerParts          filled in as the peers answer
     */
    record Gather(StoreRequest.RangeRequest request, List<HostInfo> peers, List<String> recipients,
                  Set<Integer> expectedPartitions, CompletableFuture<StorePart> localPart, List<StorePart> peerParts)
            implements QueryResult {

        public Gather(StoreRequest.RangeRequest request, List<HostInfo> peers, List<String> recipients,
                      Set<Integer> expectedPartitions, CompletableFuture<StorePart> localPart) {
            this(request, peers, recipients, expectedPartitions, localPart, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /** The request ends in an error the client is told about (the walk's 404, 503 or 504, with what was tried). */
    record Failed(ApiError error) implements QueryResult {
    }
}
