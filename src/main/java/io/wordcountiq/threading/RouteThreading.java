package io.wordcountiq.threading;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which routes run on the HTTP event loop, and the check that they never block it.
 *
 * <p>A route declares it with {@code routePolicy: eventLoop}; {@link EventLoopCheck} holds every such route to
 * never blocking it.
 *
 * <p>An HTTP request runs on the event loop when the route that serves its path declares it, or, for a REST DSL
 * operation, when the route the operation hands over to does. There is no list of paths anywhere.
 */
public final class RouteThreading {

    private static final Logger LOG = LoggerFactory.getLogger(RouteThreading.class);

    private final EventLoopCheck check;
    private volatile Map<String, Boolean> entries = Map.of();

    /** @param beans the class of the bean a route names in {@code ref:} (null for none) */
    public RouteThreading(Function<String, Class<?>> beans) {
        this.check = new EventLoopCheck(beans);
    }

    /**
     * Whether the HTTP route that serves this method and path template (as its platform-http endpoint has it, e.g.
     * {@code GET /state/keyvalue/{store}/{key}}) runs on the event loop; false for any route it does not know.
     */
    public boolean onEventLoop(String method, String path) {
        Map<String, Boolean> known = entries;
        Boolean exact = known.get(method + " " + path);
        return exact != null ? exact : known.getOrDefault("* " + path, false);
    }

    /** Decides anew, for these routes (every route of the context), which HTTP routes run on the event loop. */
    public void decide(Collection<RouteDefinition> routes) {
        Map<String, RouteDefinition> byDirect = DirectRoutes.byName(routes);
        Map<String, Boolean> decided = new HashMap<>();
        for (RouteDefinition route : routes) {
            String entry = entry(route.getInput() == null ? "" : route.getInput().getEndpointUri());
            if (entry == null) {
                continue;
            }
            boolean loop = EventLoopPolicy.declaredBy(route);
            List<ProcessorDefinition<?>> steps = route.getOutputs().stream()
                    .filter(step -> !(step instanceof OnExceptionDefinition)).toList();
            if (!loop && steps.size() == 1 && steps.get(0) instanceof SendDefinition<?> send) {
                RouteDefinition target = byDirect.get(DirectRoutes.name(send.getEndpointUri()));
                loop = target != null && EventLoopPolicy.declaredBy(target);
            }
            decided.put(entry, loop);
        }
        entries = Map.copyOf(decided);
        LOG.info("HTTP routes on the event loop: {}; on worker threads: {}",
                new TreeSet<>(decided.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList()),
                new TreeSet<>(decided.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList()));
    }

    /**
     * The method and path template an HTTP route serves: {@code rest:get:/state:/keyvalue/{store}/{key}} (the REST
     * DSL's) is {@code GET /state/keyvalue/{store}/{key}}; {@code platform-http:/ui} is {@code * /ui} (any method).
     * Null for a route that is not an HTTP route.
     */
    static String entry(String uri) {
        String u = URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        int q = u.indexOf('?');
        u = q < 0 ? u : u.substring(0, q);
        if (u.startsWith("platform-http:")) {
            return "* " + u.substring("platform-http:".length()).replaceFirst("^//", "/").replaceFirst("^/+", "/");
        }
        if (u.startsWith("rest:")) {
            String[] parts = u.substring(5).replaceFirst("^//", "").split(":", 3);
            if (parts.length < 2) {
                return null;
            }
            String base = parts[1].endsWith("/") ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
            String template = parts.length == 3 ? (parts[2].startsWith("/") ? parts[2] : "/" + parts[2]) : "";
            return parts[0].toUpperCase(Locale.ROOT) + " " + base + template;
        }
        return null;
    }

    /**
     * Every way these routes (every route the context would run) could block an event loop, one line each naming the
     * route and the step; empty when there is none ({@link EventLoopCheck}).
     */
    public List<String> check(Collection<RouteDefinition> routes) {
        return check.check(routes);
    }
}
