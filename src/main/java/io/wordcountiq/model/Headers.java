package io.wordcountiq.model;

/**
 * Every name that beans and YAML routes share: the API's HTTP headers, and the few exchange properties that carry a
 * typed value from one step of a route to the next. Nothing else travels between steps.
 */
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

    /** Exchange property: the forward walk of a key that lives elsewhere (routes/forward.camel.yaml). */
    public static final String WALK = "iqWalk";
    /** Exchange property: the plan of a whole-store request while the peers are asked (routes/scatter-gather). */
    public static final String GATHER = "iqGather";
    /** Exchange property: the request's {@link TraceParent} (health/RequestTracing sets it as a request begins). */
    public static final String TRACE = "iqTrace";
    /** Exchange property: the call (or list of calls) the next {@code peer:} step sends (a PeerCall). */
    public static final String PEER_CALL = "iqPeerCall";
    /** Exchange property: a POST /lines request's Idempotency-Key (a String), from admission on. */
    public static final String IDEMPOTENCY = "iqIdempotency";
    /** Exchange property: the lines being written while their Idempotency-Key is looked up (a LinesToWrite). */
    public static final String LINES = "iqLines";
    /** Exchange property: true when this POST /lines is known at once to repeat an earlier attempt. */
    public static final String REPEAT = "iqRepeat";
    /** Exchange property: the request's client connection (a {@link Caller}), set by the HTTP server. */
    public static final String CALLER = "iqCaller";
    /** Exchange property: the cluster view being put together (routes/ui.camel.yaml, GET /ui/api/cluster). */
    public static final String SURVEY = "iqSurvey";
    /** Exchange property: where and when a key lookup of the page started (routes/ui.camel.yaml, /ui/api/lookup). */
    public static final String LOOKUP = "iqLookup";

    private Headers() {
    }
}
