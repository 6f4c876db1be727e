package io.wordcountiq.query;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns an HTTP request into a validated, typed {@link io.wordcountiq.model.StoreRequest}: the first step of every
 * query route. Invalid input is a 4xx {@link io.wordcountiq.model.ApiError} here, before any store is touched.
 */
public class Requests {

    private final RequestValidator validator;
    private final ForwardMarker marker;
    private final Tokens tokens;
    private final int maxPageLimit;
    private final boolean observer;

    public Requests(RequestValidator validator, ForwardMarker marker, Tokens tokens, int maxPageLimit, boolean observer) {
        this.validator = validator;
        this.marker = marker;
        this.tokens = tokens;
        this.maxPageLimit = maxPageLimit;
        this.observer = observer;
    }

    /** {@code GET /state/keyvalue/{store}/{key}} */
    public KeyRequest keyValue(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        String key = validator.key(in.getHeader("key", String.class), "key");
        QueryString query = QueryString.parse(query(in));
        return new KeyRequest(store, key, path(in), query(in), isForwarded(in), token(in, query), maxLag(query));
    }

    /** {@code GET /state/windowed/{store}/{key}/{from}/{to}} */
    public WindowRequest windowed(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.windowStore(store);
        String key = validator.key(in.getHeader("key", String.class), "key");
        long from = validator.epochMillis(in.getHeader("from", String.class), "from");
        long to = validator.epochMillis(in.getHeader("to", String.class), "to");
        validator.range("from", from, "to", to);
        QueryString query = QueryString.parse(query(in));
        return new WindowRequest(store, key, from, to, path(in), query(in), isForwarded(in), token(in, query), maxLag(query));
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
            throw io.wordcountiq.model.ApiError.badRequest("after needs limit: pages are asked with ?limit=N&after=K");
        }
        boolean strict = "true".equalsIgnoreCase(query.get("strict"));
        return new RangeRequest(store, from, to, strict, limit, after, path(in), query(in), isForwarded(in),
                token(in, query), maxLag(query));
    }

    /** The token of the X-IQ-Token header and the ?token= parameter together (a page's Link carries it). */
    private ConsistencyToken token(Message in, QueryString query) {
        String header = in.getHeader(Headers.TOKEN, String.class);
        String parameter = query.get("token");
        if (observer && ((header != null && !header.isBlank()) || (parameter != null && !parameter.isBlank()))) {
            // A GlobalKTable carries no positions: an observer cannot tell which writes it holds.
            throw new io.wordcountiq.model.ApiError(501, "observers cannot tell which writes their table holds, so "
                    + "they do not answer X-IQ-Token reads; ask a word-count instance");
        }
        return tokens.decode(header).merge(tokens.decode(parameter));
    }

    private Long maxLag(QueryString query) {
        String value = query.get("maxLag");
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            throw io.wordcountiq.model.ApiError.badRequest("maxLag must be a number of records, was '" + value + "'");
        }
        return Long.parseLong(value);
    }

    /** True when a peer forwarded this very request (a valid mark): it is answered from local state only. */
    private boolean isForwarded(Message in) {
        String mark = in.getHeader(Headers.FORWARDED, String.class);
        return mark != null && marker.verify(mark, "GET", path(in), query(in), System.currentTimeMillis());
    }

    private static String query(Message in) {
        String query = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        return query == null || query.isEmpty() ? null : query;
    }

    private static String path(Message in) {
        return in.getHeader(Exchange.HTTP_PATH, String.class);
    }
}
