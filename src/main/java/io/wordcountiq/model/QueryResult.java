package io.wordcountiq.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What a step of a query route produced. Routes branch on the type (routes/local-or-forward, routes/whole-store);
 * http/Replies turns every final result into the HTTP answer, so status codes and X-IQ-* headers have one home.
 * Every outcome is handled through a {@link Visitor}: a new outcome does not compile until each visitor handles it.
 */
public sealed interface QueryResult {

    /** Hands this outcome to the visitor's method for its type. */
    <R> R accept(Visitor<R> visitor);

    /** One method per outcome. */
    interface Visitor<R> {
        R found(Found found);

        R absent(Absent absent);

        R notHosted(NotHosted notHosted);

        R unavailable(Unavailable unavailable);

        R catchUp(CatchUp catchUp);

        R notLocal(NotLocal notLocal);

        R relayed(Relayed relayed);

        R streamed(Streamed streamed);

        R page(Page page);

        R gather(Gather gather);

        R failed(Failed failed);
    }

    /**
     * The state was read here.
     *
     * @param json  the whole body
     * @param copy  the copy a key lookup read; null for an answer that reads no store (metadata)
     * @param token what the answer reflects: the request's token and the position of the copy read
     */
    record Found(String json, Copy copy, ConsistencyToken token) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.found(this);
        }

        public Found(String json, Copy copy) {
            this(json, copy, ConsistencyToken.NONE);
        }

        /** An answer that is no read of a store (metadata). */
        public static Found of(String json) {
            return new Found(json, null, ConsistencyToken.NONE);
        }

        public boolean stale() {
            return copy != null && copy.stale();
        }
    }

    /**
     * The key is not in this instance's copy of its partition: 404. Only an {@link Copy#authoritative()} copy's
     * absence means the key does not exist; another copy's is passed on to the forward walk, which asks on.
     */
    record Absent(String key, Copy copy, ConsistencyToken token) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.absent(this);
        }

        public Absent(String key, Copy copy) {
            this(key, copy, ConsistencyToken.NONE);
        }
    }

    /** A peer asked this instance for a key whose partition it holds no copy of (a forwarded request): 421. */
    record NotHosted(String self) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.notHosted(this);
        }
    }

    /** This instance cannot read the state right now (starting, rebalancing): 503 with Retry-After. */
    record Unavailable(String message) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.unavailable(this);
        }
    }

    /**
     * The key's copy is here, but the request carries a consistency token: the copy is read once it covers the
     * token, which may mean waiting (routes/local-or-forward, localReads.catchUp) without holding a thread.
     */
    record CatchUp(StoreRequest.KeyLookup request, Placement placement) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.catchUp(this);
        }
    }

    /** The key lives elsewhere: routes/forward.camel.yaml walks its holders. */
    record NotLocal(StoreRequest.KeyLookup request, Placement placement) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.notLocal(this);
        }
    }

    /** Another instance's answer, passed on as it came: status, body and the API's headers (Content-Type too). */
    record Relayed(int status, String body, Map<String, String> headers) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.relayed(this);
        }
    }

    /**
     * A whole-store answer written as it is produced (chunked): the merge of every part, never held whole.
     *
     * @param missing    the instances and partitions that did not answer (a partial answer); else null
     * @param partitions a peer's part: the partitions it covers; else null
     * @param staleLag   null when every partition came from its processing active copy; else the largest lag of the
     *                   standbys read instead (-1: not known): X-IQ-Stale and X-IQ-Lag
     */
    record Streamed(AsyncBody body, List<String> missing, Set<Integer> partitions, ConsistencyToken token, Long staleLag)
            implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.streamed(this);
        }
    }

    /**
     * One page of a whole-store answer; {@code next} is the next page's path and query (its Link), or null on the
     * last one.
     */
    record Page(String json, String next, ConsistencyToken token, Long staleLag) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.page(this);
        }

        public Page(String json, String next, ConsistencyToken token) {
            this(json, next, token, null);
        }
    }

    /**
     * A whole-store request that needs the other instances' parts: routes/scatter-gather.camel.yaml opens every
     * peer's part at once, then the parts and this instance's own are merged.
     *
     * @param expectedPartitions every partition of the store, to tell a complete answer from a partial one
     * @param parts              filled in as the peers' parts open, and this instance's own
     * @param ownStandby         partitions whose active copy could not be reached and that this instance reads from
     *                           its own standby (filled in by the fallback)
     */
    record Gather(StoreRequest.RangeRequest request, List<HostInfo> peers, Set<Integer> expectedPartitions,
                  StoreParts parts, Set<Integer> ownStandby, java.util.concurrent.atomic.AtomicBoolean fallbackPlanned)
            implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.gather(this);
        }

        public Gather(StoreRequest.RangeRequest request, List<HostInfo> peers, Set<Integer> expectedPartitions,
                      StoreParts parts) {
            this(request, peers, expectedPartitions, parts, new java.util.concurrent.ConcurrentSkipListSet<>(),
                    new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    /** The request ends in an error the client is told about (the walk's 404, 503 or 504, with what was tried). */
    record Failed(ApiError error) implements QueryResult {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.failed(this);
        }
    }
}
