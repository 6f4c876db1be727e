package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PartitionList;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.model.StoreRequest;
import io.wordcountiq.streams.Names;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns an HTTP request into a validated, typed {@link StoreRequest}: the first step of every query route. Invalid
 * input is a 4xx {@link ApiError} here, before any store is touched. Control values are read once, each only where it
 * is defined: the forward mark and the hop count from their headers, the token from the X-IQ-Token header or the
 * {@code token} query parameter (a page's Link carries it), never from anywhere else.
 */
public class StoreRequestReader {

    private final RequestValidator validator;
    private final ForwardMarker marker;
    private final Tokens tokens;
    private final int maxPageLimit;
    private final Long defaultMaxLag;

    /** @param defaultMaxLag DEFAULT_MAX_LAG: the maxLag of a request that states no freshness itself, or null */
    public StoreRequestReader(RequestValidator validator, ForwardMarker marker, Tokens tokens, int maxPageLimit, Long defaultMaxLag) {
        this.defaultMaxLag = defaultMaxLag;
        this.validator = validator;
        this.marker = marker;
        this.tokens = tokens;
        this.maxPageLimit = maxPageLimit;
    }

    /** {@code GET /state/keyvalue/{store}/{key}} */
    public KeyRequest keyValue(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        String key = validator.key(in.getHeader("key", String.class), "key");
        QueryString query = QueryString.parse(query(in));
        ConsistencyToken token = token(in, query);
        KeyRequest request = new KeyRequest(store, key, false, token, maxLag(query, token));
        return forwarded(in, request) ? request.asLocalOnly() : request;
    }

    /** {@code GET /state/windowed/{store}/{key}/{from}/{to}} */
    public WindowRequest windowed(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        // The store of Idempotency-Keys' first attempts is asked by instances only (a marked hop), never by clients.
        boolean internal = Names.IDEMPOTENCY_STORE.equals(store);
        if (!internal) {
            validator.windowStore(store);
        }
        String key = validator.key(in.getHeader("key", String.class), "key");
        long from = validator.epochMillis(in.getHeader("from", String.class), "from");
        long to = validator.epochMillis(in.getHeader("to", String.class), "to");
        validator.range("from", from, "to", to);
        QueryString query = QueryString.parse(query(in));
        ConsistencyToken token = token(in, query);
        WindowRequest request = new WindowRequest(store, key, from, to, false, token, maxLag(query, token));
        if (forwarded(in, request)) {
            return request.asLocalOnly();
        }
        if (internal) {
            validator.windowStore(store);
        }
        return request;
    }

    /** {@code GET /state/keyvalues/{store}/all[?limit=N&after=K&strict=true]} */
    public RangeRequest all(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        return wholeStore(in, store, null, null);
    }

    /** {@code GET /state/keyvalues/{store}/range/{from}/{to}[?limit=N&after=K&strict=true]} */
    public RangeRequest range(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        String from = validator.key(in.getHeader("from", String.class), "from");
        String to = validator.key(in.getHeader("to", String.class), "to");
        validator.range("from", from, "to", to);
        return wholeStore(in, store, from, to);
    }

    private RangeRequest wholeStore(Message in, String store, String from, String to) {
        QueryString query = QueryString.parse(query(in));
        Integer limit = query.has("limit") ? validator.limit(query.get("limit"), maxPageLimit) : null;
        String after = query.has("after") ? validator.key(query.get("after"), "after") : null;
        if (after != null && limit == null) {
            throw ApiError.badRequest("after needs limit: pages are asked with ?limit=N&after=K");
        }
        boolean strict = "true".equalsIgnoreCase(query.get("strict"));
        java.util.Set<Integer> partitions = query.has("partitions") ? partitions(query.get("partitions")) : null;
        ConsistencyToken token = token(in, query);
        RangeRequest request = new RangeRequest(store, from, to, strict, limit, after, false, token, maxLag(query, token),
                partitions);
        if (forwarded(in, request)) {
            return new RangeRequest(store, from, to, strict, limit, after, true, request.token(), request.maxLag(),
                    partitions);
        }
        if (partitions != null) {
            throw ApiError.badRequest("partitions is asked by instances of each other only");
        }
        return request;
    }

    /** ?partitions=1,3: at most {@link PartitionList#MAX} partition numbers. */
    private static java.util.Set<Integer> partitions(String list) {
        try {
            java.util.Set<Integer> out = PartitionList.parse(list);
            if (!out.isEmpty()) {
                return out;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("partitions must be a comma-separated list of partition numbers");
    }

    /** The token of the X-IQ-Token header and the ?token= parameter together (a page's Link carries it). */
    private ConsistencyToken token(Message in, QueryString query) {
        String header = in.getHeader(Headers.TOKEN, String.class);
        String parameter = query.get("token");
        return tokens.decode(header).merge(tokens.decode(parameter));
    }

    /** ?maxLag=N, or DEFAULT_MAX_LAG for a request that states no freshness at all. */
    private Long maxLag(QueryString query, ConsistencyToken token) {
        String value = query.get("maxLag");
        if (value == null) {
            return token.isEmpty() ? defaultMaxLag : null;
        }
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            throw ApiError.badRequest("maxLag must be a number of records, was '" + value + "'");
        }
        return Long.parseLong(value);
    }

    /**
     * True when a peer forwarded this very request: a valid mark for its canonical path and query. It is then
     * answered from local state only. A request with a hop count comes from another instance: without a valid mark it
     * is refused, never forwarded again, whatever arrives. A mark without a hop count that is not valid is a client's
     * doing and is ignored.
     */
    private boolean forwarded(Message in, StoreRequest request) {
        String mark = in.getHeader(Headers.FORWARDED, String.class);
        if (mark != null && marker.verify(mark, "GET", request.path(), request.hopQuery(), System.currentTimeMillis())) {
            return true;
        }
        if (in.getHeader(Headers.HOPS) != null) {
            throw new ApiError(403, "this request comes from another instance (X-IQ-Hops) without a valid X-IQ-Forwarded "
                    + "mark for it: FORWARD_SECRET must match on every instance, and a mark is valid for one request, "
                    + "briefly");
        }
        return false;
    }

    private static String query(Message in) {
        String query = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        return query == null || query.isEmpty() ? null : query;
    }
}
