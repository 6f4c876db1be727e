package io.wordcountiq.http;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Only the API's own headers reach an HTTP response; path parameters and internal headers never leak out.
 * Inbound, Camel's internal header names are refused so a client cannot steer a route with them, and so are
 * headers and query parameters named like a path parameter: the path alone decides the store and the key.
 */
public class ResponseHeaderFilter implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        // Case-insensitive without lower-casing a copy of every name of every answer.
        return !(name.regionMatches(true, 0, "x-iq-", 0, 5) || ANSWER_HEADERS.contains(name));
    }

    /**
     * Standard headers an answer may carry besides Content-Type and X-IQ-*; the last four are the page's (/ui/: its
     * security headers, and the redirect from /ui). Every answer starts from no headers, so none of a request's own
     * headers of these names goes back.
     */
    private static final Set<String> ANSWER_HEADERS = caseInsensitive("content-type", "retry-after", "allow",
            "www-authenticate", "link", "idempotent-replayed", "content-security-policy", "x-content-type-options",
            "cache-control", "location");

    /** Names of the API's path parameters (routes/state-api.camel.yaml). */
    private static final Set<String> PATH_PARAMETERS = caseInsensitive("store", "key", "from", "to");

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return name.regionMatches(true, 0, "camel", 0, 5) || name.regionMatches(true, 0, "org.apache.camel", 0, 16)
                || name.regionMatches(true, 0, "iq", 0, 2) || PATH_PARAMETERS.contains(name);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(java.util.List.of(names));
        return java.util.Collections.unmodifiableSet(set);
    }
}
