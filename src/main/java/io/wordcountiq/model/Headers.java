package io.wordcountiq.model;

/** The API's HTTP headers, by name: what clients, peers and the routes send and read (see docs/api.md). */
public final class Headers {

    public static final String SERVED_BY = "X-IQ-Served-By";
    public static final String STALE = "X-IQ-Stale";
    public static final String MISSING = "X-IQ-Missing";
    public static final String PARTITIONS = "X-IQ-Partitions";
    public static final String FORWARDED = "X-IQ-Forwarded";
    /** How many hops a request has made: a request that carries it is never forwarded again. */
    public static final String HOPS = "X-IQ-Hops";
    public static final String RETRY_AFTER = "Retry-After";
    /** Which copy answered: active, restoring, standby or global (see model/Copy). */
    public static final String COPY = "X-IQ-Copy";
    /** The cluster (CLUSTER_NAME) of the instance that answered, when it has one. */
    public static final String CLUSTER = "X-IQ-Cluster";
    /** A standby's offset lag in records when it answered (KIP-535), when known. */
    public static final String LAG = "X-IQ-Lag";
    /** A consistency token: what a read must cover (request), what an answer reflects (response). */
    public static final String TOKEN = "X-IQ-Token";

    /** W3C Trace Context: carried on every hop, to peers and into the records of POST /lines (model/TraceParent). */
    public static final String TRACEPARENT = "traceparent";
    /** Request: POST /lines counts once per key, however often it is sent (IETF httpapi draft). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Answer: this POST /lines repeated an earlier request with the same Idempotency-Key and body; counted once. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    /** The headers of another instance's answer that are passed on with it. */
    public static final java.util.List<String> RELAYED = java.util.List.of(
            "Content-Type", SERVED_BY, CLUSTER, STALE, COPY, LAG, TOKEN, RETRY_AFTER);

    private Headers() {
    }
}
