package io.wordcountiq.threading;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.model.RouteDefinition;

/** Routes by the {@code direct:} name they consume, as a {@code to: direct:name} step finds them. */
final class DirectRoutes {

    private DirectRoutes() {
    }

    static Map<String, RouteDefinition> byName(Collection<RouteDefinition> routes) {
        Map<String, RouteDefinition> out = new HashMap<>();
        for (RouteDefinition route : routes) {
            String from = route.getInput() == null ? "" : route.getInput().getEndpointUri();
            if (from.startsWith("direct:")) {
                out.put(name(from), route);
            }
        }
        return out;
    }

    /** The name a {@code direct:} URI (also {@code direct://name?options}) calls, or null for another URI. */
    static String name(String uri) {
        EndpointUri parts = EndpointUri.of(uri);
        if (!parts.scheme().equals("direct")) {
            return null;
        }
        return parts.path().startsWith("//") ? parts.path().substring(2) : parts.path();
    }
}
