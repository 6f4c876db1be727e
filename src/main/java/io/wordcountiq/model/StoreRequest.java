package io.wordcountiq.model;

/**
 * One validated read of a store, as the HTTP path gave it. Built once at the start of a route (query/Requests);
 * every later step reads this value, never the raw headers.
 */
public sealed interface StoreRequest {

    String store();

    /** The path as the client sent it: a hop to another instance asks for the same path. */
    String path();

    /** The query string as the client sent it (raw, or null): a hop carries it too. */
    String query();

    /** A peer forwarded this request (a valid X-IQ-Forwarded mark): answer from this instance's own state only. */
    boolean localOnly();

    /** What the answer must cover (X-IQ-Token or ?token=); {@link ConsistencyToken#NONE} when none was given. */
    ConsistencyToken token();

    /** The largest lag in records a standby copy may answer with ({@code ?maxLag=N}), or null for any. */
    Long maxLag();

    /** A read of one key, which one partition holds: it can be forwarded to that partition's holders. */
    sealed interface KeyLookup extends StoreRequest {
        String key();

        /** The same request, answered from this instance's own state only. */
        KeyLookup asLocalOnly();
    }

    /** {@code GET /state/keyvalue/{store}/{key}} */
    record KeyRequest(String store, String key, String path, String query, boolean localOnly,
                      ConsistencyToken token, Long maxLag) implements KeyLookup {

        public KeyRequest(String store, String key, String path, String query, boolean localOnly) {
            this(store, key, path, query, localOnly, ConsistencyToken.NONE, null);
        }

        @Override
        public KeyRequest asLocalOnly() {
            return new KeyRequest(store, key, path, query, true, token, maxLag);
        }
    }

    /** {@code GET /state/windowed/{store}/{key}/{from}/{to}}: windows starting in [from, to], epoch ms. */
    record WindowRequest(String store, String key, long from, long to, String path, String query, boolean localOnly,
                         ConsistencyToken token, Long maxLag) implements KeyLookup {
        @Override
        public WindowRequest asLocalOnly() {
            return new WindowRequest(store, key, from, to, path, query, true, token, maxLag);
        }
    }

    /**
     * {@code GET /state/keyvalues/{store}/all} (from and to null) or {@code …/range/{from}/{to}} (both inclusive).
     *
     * @param strict the client asked for {@code strict=true}: a partial answer is a 503
     * @param limit  a page of at most this many entries ({@code ?limit=N}), or null for the whole answer, streamed
     * @param after  the page starts after this key, exclusive ({@code ?after=K}), or null; in {@link KeyOrder}
     */
    record RangeRequest(String store, String from, String to, boolean strict, Integer limit, String after, String path,
                        String query, boolean localOnly, ConsistencyToken token, Long maxLag)
            implements StoreRequest {

        public RangeRequest(String store, String from, String to, boolean strict, Integer limit, String after,
                            String path, String query, boolean localOnly) {
            this(store, from, to, strict, limit, after, path, query, localOnly, ConsistencyToken.NONE, null);
        }

        public boolean all() {
            return from == null;
        }

        public boolean paged() {
            return limit != null;
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
