package io.wordcountiq.http;

import java.util.Locale;
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
        String n = name.toLowerCase(Locale.ROOT);
        return !(n.equals("content-type") || n.startsWith("x-iq-") || ANSWER_HEADERS.contains(n));
    }

    /**
     * Standard headers an answer may carry besides Content-Type and X-IQ-*; the last four are the page's (/ui/: its
     * security headers, and the redirect from /ui). Every answer starts from no headers, so none of a request's own
     * headers of these names goes back.
     */
    private static final Set<String> ANSWER_HEADERS = Set.of("retry-after", "allow", "www-authenticate", "link",
            "content-security-policy", "x-content-type-options", "cache-control", "location");

    /** Names of the API's path parameters (routes/state-api.camel.yaml). */
    private static final Set<String> PATH_PARAMETERS = Set.of("store", "key", "from", "to");

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("camel") || n.startsWith("org.apache.camel") || n.startsWith("iq")
                || PATH_PARAMETERS.contains(n);
    }
}
