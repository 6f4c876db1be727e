package io.wordcountiq.config;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener of the HTTP port per core. Camel's platform-http server listens once, so every connection it accepts
 * is served by one Vert.x event loop. That is enough while routes run on worker threads; once key lookups run on the
 * event loop ({@link EventLoopHttpEngine}) one loop would be one core. Further servers on the same port and router
 * share its socket, and Vert.x hands each new connection to the next of their loops: the same requests, the same
 * routes, on every core. They close with Vert.x, after Camel's own server.
 */
public final class EventLoopListeners {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopListeners.class);

    private EventLoopListeners() {
    }

    /** Adds listeners until the port has {@code total}. */
    public static void install(CamelContext context, int httpPort, int total) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(httpPort));
        Router top = router == null ? null : HttpServerErrors.topRouter(router);
        if (top == null) {
            LOG.warn("Cannot reach the HTTP server's router: its connections stay on one event loop");
            return;
        }
        VertxPlatformHttpServer server = router.getServer();
        if (server.isUseGlobalSslContextParameters()) {
            LOG.info("The HTTP server uses TLS: its connections stay on one event loop");
            return;
        }
        int port = server.getServer().actualPort();
        int added = 0;
        for (int i = 1; i < total; i++) {
            HttpServer extra = router.vertx().createHttpServer(new HttpServerOptions()).requestHandler(top);
            try {
                extra.listen(port, server.getHost()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                added++;
            } catch (Exception e) {
                LOG.warn("Could not add a listener on port {}: {}", port, e.toString());
                break;
            }
        }
        LOG.info("HTTP port {}: {} event loop(s) accept connections", port, added + 1);
    }
}
