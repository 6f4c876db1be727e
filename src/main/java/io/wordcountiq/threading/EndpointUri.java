package io.wordcountiq.threading;

/** The parts of an endpoint URI ({@code scheme:path?query}) the threading rules read. */
record EndpointUri(String scheme, String path, String query) {

    static EndpointUri of(String uri) {
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return new EndpointUri(uri, "", "");
        }
        String rest = uri.substring(colon + 1);
        int q = rest.indexOf('?');
        return new EndpointUri(uri.substring(0, colon), q < 0 ? rest : rest.substring(0, q), q < 0 ? "" : rest.substring(q + 1));
    }

    /** The value of a query parameter, or null when the query has none of that name. */
    String parameter(String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }
}
