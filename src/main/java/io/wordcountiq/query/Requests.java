package io.wordcountiq.query;

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

    public Requests(RequestValidator validator, ForwardMarker marker) {
        this.validator = validator;
        this.marker = marker;
    }

    /** {@code GET /state/keyvalue/{store}/{key}} */
    public KeyRequest keyValue(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        String key = validator.key(in.getHeader("key", String.class), "key");
        return new KeyRequest(store, key, path(in), query(in), isForwarded(in));
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
        return new WindowRequest(store, key, from, to, path(in), query(in), isForwarded(in));
    }

    /** {@code GET /state/keyvalues/{store}/all} */
    public RangeRequest all(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        return new RangeRequest(store, null, null, strict(in), path(in), query(in), isForwarded(in));
    }

    /** {@code GET /state/keyvalues/{store}/range/{from}/{to}} */
    public RangeRequest range(Exchange exchange) {
        Message in = exchange.getMessage();
        String store = in.getHeader("store", String.class);
        validator.keyValueStore(store);
        String from = validator.key(in.getHeader("from", String.class), "from");
        String to = validator.key(in.getHeader("to", String.class), "to");
        validator.range("from", from, "to", to);
        return new RangeRequest(store, from, to, strict(in), path(in), query(in), isForwarded(in));
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

    private static boolean strict(Message in) {
        return "true".equalsIgnoreCase(in.getHeader("strict", String.class));
    }

    private static String path(Message in) {
        return in.getHeader(Exchange.HTTP_PATH, String.class);
    }
}
