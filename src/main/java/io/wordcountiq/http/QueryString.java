package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query parameters of a request, read from the raw query string itself: a header of the same name never counts
 * (platform-http merges both into one header map). A parameter given twice, or not decodable, is a 400.
 */
public final class QueryString {

    private final Map<String, String> params;

    private QueryString(Map<String, String> params) {
        this.params = params;
    }

    public static QueryString parse(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (params.put(name, value) != null) {
                    throw ApiError.badRequest("query parameter '" + name + "' is given more than once");
                }
            }
        }
        return new QueryString(params);
    }

    public String get(String name) {
        return params.get(name);
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("the query string is not valid percent-encoding");
        }
    }
}
