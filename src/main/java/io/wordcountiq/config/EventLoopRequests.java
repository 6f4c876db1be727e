package io.wordcountiq.config;

import io.vertx.core.http.HttpServerRequest;
import io.wordcountiq.model.Headers;
import java.util.Set;

/**
 * Which requests run their route on the Vert.x event loop ({@link EventLoopHttpEngine}): key lookups (a count, a
 * key's windowed counts) without a consistency token. They read local state, or ask a peer without blocking
 * (camel-vertx-http, routes/forward.camel.yaml; the walk's pause is asynchronous). A token may make a read wait for
 * its copy to catch up, so a request that carries one runs on a worker thread, as does every other request (pages,
 * whole-store answers, ingest, the UI). HTTP_EVENT_LOOP=false runs every request on a worker.
 */
public final class EventLoopRequests {

    /** The rest paths (routes/state-api.camel.yaml) whose routes never block without a token. */
    static final Set<String> KEY_LOOKUPS = Set.of("/state/keyvalue/{store}/{key}",
            "/state/windowed/{store}/{key}/{from}/{to}");

    private final boolean enabled;

    public EventLoopRequests(boolean enabled) {
        this.enabled = enabled;
    }

    /** The route behind this rest path can run on the event loop, for some requests. */
    public boolean routeNeverBlocks(String path) {
        return enabled && KEY_LOOKUPS.contains(path);
    }

    /** This request, to such a route, never waits: a GET with no consistency token (header or parameter). */
    public boolean neverBlocks(HttpServerRequest request) {
        return neverBlocks(request.method().name(), request.getHeader(Headers.TOKEN), request.getParam("token"));
    }

    static boolean neverBlocks(String method, String tokenHeader, String tokenParameter) {
        return "GET".equals(method) && tokenHeader == null && tokenParameter == null;
    }
}
