package io.wordcountiq.model;

/**
 * The exchange properties that carry a typed value from one step of a route to the next: nothing else travels between
 * steps. The YAML routes name them too ({@code ${exchangeProperty.iqWalk.pauseMs}}); RouteContractTest holds both
 * sides to these names.
 */
public final class ExchangeProperties {

    /** the forward walk of a key that lives elsewhere (routes/forward.camel.yaml). */
    public static final String WALK = "iqWalk";
    /** the plan of a whole-store request while the peers are asked (routes/scatter-gather). */
    public static final String GATHER = "iqGather";
    /** the request's {@link TraceParent} (health/RequestTracing sets it as a request begins). */
    public static final String TRACE = "iqTrace";
    /** the call (or list of calls) the next {@code peer:} step sends (a PeerCall). */
    public static final String PEER_CALL = "iqPeerCall";
    /** a POST /lines request's Idempotency-Key (a String), from admission on. */
    public static final String IDEMPOTENCY = "iqIdempotency";
    /** the lines being written while their Idempotency-Key is looked up (a LinesToWrite). */
    public static final String LINES = "iqLines";
    /** true when this POST /lines is known at once to repeat an earlier attempt. */
    public static final String REPEAT = "iqRepeat";
    /** the request's client connection (a {@link Caller}), set by the HTTP server. */
    public static final String CALLER = "iqCaller";
    /** the cluster view being put together (routes/ui.camel.yaml, GET /ui/api/cluster). */
    public static final String SURVEY = "iqSurvey";
    /** where and when a key lookup of the page started (routes/ui.camel.yaml, /ui/api/lookup). */
    public static final String LOOKUP = "iqLookup";

    private ExchangeProperties() {
    }
}
