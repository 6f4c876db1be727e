package io.wordcountiq.config;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Only the API's own headers reach an HTTP response; path parameters and internal headers never leak out.
 * Inbound, Camel's internal header names are refused so a client cannot steer a route with them.
 */
public class ResponseHeaderFilter implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        String n = name.toLowerCase(Locale.ROOT);
        return !(n.equals("content-type") || n.startsWith("x-iq-") || n.equals("retry-after"));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("camel") || n.startsWith("org.apache.camel") || n.startsWith("iq");
    }
}
