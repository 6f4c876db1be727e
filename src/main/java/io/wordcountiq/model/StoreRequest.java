package io.wordcountiq.model;

/**
 * One validated read of a store. Built once at the start of a route (http/StoreRequestReader) from the path, the query
 * string and the control headers; every later step reads this value, never the raw request. A hop to another
 * instance is built from it too ({@link #path()}, {@link #hopQuery()}), so every key the owner answers is answered
 * the same from any instance.
 */
public sealed interface StoreRequest {

    String store();

    /** A peer forwarded this request (a valid X-IQ-Forwarded mark): answer from this instance's own state only. */
    boolean localOnly();

    /** What the answer must cover (X-IQ-Token or ?token=); {@link ConsistencyToken#NONE} when none was given. */
    ConsistencyToken token();

    /** The largest lag in records a standby copy may answer with ({@code ?maxLag=N}), or null for any. */
    Long maxLag();

    /** The request says how fresh its answer must be: the nearest copy that is fresh enough answers it. */
    default boolean statesFreshness() {
        return maxLag() != null || !token().isEmpty();
    }

    /** The request's path in canonical form, every segment percent-encoded ({@link PathSegments}). */
    String path();

    /** The query parameters a peer needs to answer for this request, canonical and encoded; null for none. */
    String hopQuery();

    /** A read of one key, which one partition holds: it can be forwarded to that partition's holders. */
    sealed interface KeyLookup extends StoreRequest {
        String key();

        /** The same request, answered from this instance's own state only. */
        KeyLookup asLocalOnly();

        @Override
        default String hopQuery() {
            return maxLag() == null ? null : "maxLag=" + maxLag();
        }
    }

    /** {@code GET /state/keyvalue/{store}/{key}} */
    record KeyRequest(String store, String key, boolean localOnly, ConsistencyToken token, Long maxLag)
            implements KeyLookup {

        public KeyRequest(String store, String key) {
            this(store, key, false, ConsistencyToken.NONE, null);
        }

        @Override
        public KeyRequest asLocalOnly() {
            return new KeyRequest(store, key, true, token, maxLag);
        }

        @Override
        public String path() {
            return "/state/keyvalue/" + PathSegments.encode(store) + "/" + PathSegments.encode(key);
        }
    }

    /** {@code GET /state/windowed/{store}/{key}/{from}/{to}}: windows starting in [from, to], epoch ms. */
    record WindowRequest(String store, String key, long from, long to, boolean localOnly, ConsistencyToken token,
                         Long maxLag) implements KeyLookup {

        @Override
        public WindowRequest asLocalOnly() {
            return new WindowRequest(store, key, from, to, true, token, maxLag);
        }

        @Override
        public String path() {
            return "/state/windowed/" + PathSegments.encode(store) + "/" + PathSegments.encode(key) + "/" + from + "/" + to;
        }
    }

    /**
     * {@code GET /state/keyvalues/{store}/all} (from and to null) or {@code …/range/{from}/{to}} (both inclusive).
     *
     * @param strict the client asked for {@code strict=true}: a partial answer is a 503
     * @param limit  a page of at most this many entries ({@code ?limit=N}), or null for the whole answer, streamed
     * @param after      the page starts after this key, exclusive ({@code ?after=K}), or null; in {@link KeyOrder}
     * @param partitions a peer's part of named partitions, from whatever copy it holds of each (their active copy
     *                   could not be reached: {@code ?partitions=1,3}); null for its processing active partitions
     */
    record RangeRequest(String store, String from, String to, boolean strict, Integer limit, String after,
                        boolean localOnly, ConsistencyToken token, Long maxLag, java.util.Set<Integer> partitions)
            implements StoreRequest {

        public RangeRequest(String store, String from, String to, boolean strict, Integer limit, String after,
                            boolean localOnly) {
            this(store, from, to, strict, limit, after, localOnly, ConsistencyToken.NONE, null, null);
        }

        public RangeRequest(String store, String from, String to, boolean strict, Integer limit, String after,
                            boolean localOnly, ConsistencyToken token, Long maxLag) {
            this(store, from, to, strict, limit, after, localOnly, token, maxLag, null);
        }

        /** The same request, as a part of these partitions only, from whatever copy this instance holds. */
        public RangeRequest ofPartitions(java.util.Set<Integer> named) {
            return new RangeRequest(store, from, to, strict, limit, after, true, token, maxLag,
                    java.util.Set.copyOf(new java.util.TreeSet<>(named)));
        }

        public boolean all() {
            return from == null;
        }

        public boolean paged() {
            return limit != null;
        }

        @Override
        public String path() {
            String base = "/state/keyvalues/" + PathSegments.encode(store);
            return from == null ? base + "/all" : base + "/range/" + PathSegments.encode(from) + "/" + PathSegments.encode(to);
        }

        /** A peer's part: the page bounds and the lag bound (strict concerns only the asking instance). */
        @Override
        public String hopQuery() {
            StringBuilder q = new StringBuilder();
            if (limit != null) {
                q.append("limit=").append(limit);
                if (after != null) {
                    q.append("&after=").append(PathSegments.encode(after));
                }
            }
            if (maxLag != null) {
                q.append(q.length() > 0 ? "&" : "").append("maxLag=").append(maxLag);
            }
            if (partitions != null) {
                q.append(q.length() > 0 ? "&" : "").append("partitions=").append(PartitionList.format(partitions));
            }
            return q.length() == 0 ? null : q.toString();
        }

        /** Whether the key belongs in this request's answer: in [from, to] and after the cursor. */
        public boolean admits(String key) {
            return (from == null || KeyOrder.compare(key, from) >= 0)
                    && (to == null || KeyOrder.compare(key, to) <= 0)
                    && (after == null || KeyOrder.compare(key, after) > 0);
        }

        /** The lowest key the stores are asked for (inclusive): the later of from and after. */
        public String lowerBound() {
            if (after == null) {
                return from;
            }
            return from == null || KeyOrder.compare(after, from) > 0 ? after : from;
        }
    }
}
