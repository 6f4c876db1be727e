package io.wordcountiq.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.wordcountiq.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP server: Vert.x, one listener of HTTP_PORT per event loop, and a router that Camel's platform-http
 * consumers (the REST DSL's operations, routes/ui.camel.yaml) attach their paths to. The management port is Camel's
 * own server on a Vert.x of its own: health and metrics never share a thread with the API.
 *
 * <p>Its own server, so that it decides what Camel's does not let a service decide: how long a connection may take to
 * send a request's headers (HEADER_TIMEOUT_MS: a client that trickles them is cut off) and may stay idle
 * (IDLE_TIMEOUT_MS), how long a request line may be, and a JSON answer to requests the HTTP codec cannot parse.
 */
public final class ApiServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Vertx vertx;
    private final Settings settings;
    private final Router top;
    private final ServerErrors errors;
    private final List<HttpServer> servers = new ArrayList<>();
    /** The header deadline of each open connection that is not serving a request. */
    private final Map<HttpConnection, Long> headerTimers = new ConcurrentHashMap<>();
    private volatile boolean routesUp;
    private volatile boolean swapping;

    /**
     * Builds the routers and registers the one platform-http consumers attach to; nothing listens before
     * {@link #start()}.
     */
    public ApiServer(CamelContext context, Vertx vertx, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.top = Router.router(vertx);
        Router api = Router.router(vertx);
        top.route("/*").subRouter(api);
        this.errors = new ServerErrors(settings.applicationServer(), () -> routesUp && !swapping);
        errors.install(top, api);
        String name = VertxPlatformHttpRouter.getRouterNameFromPort(settings.httpPort());
        context.getRegistry().bind(name, new VertxPlatformHttpRouter(null, vertx, api, name,
                VertxPlatformHttpRouter.SERVER_TYPE_SERVER));
    }

    public Vertx vertx() {
        return vertx;
    }

    ServerErrors errors() {
        return errors;
    }

    /** Every route is up: a request that matches none is a 404 from now on (a 503 before, and while stopping). */
    public void routesUp(boolean up) {
        this.routesUp = up;
    }

    /** A route file is being swapped: its paths answer 503 with Retry-After for that moment, not 404. */
    public void swapping(boolean swapping) {
        this.swapping = swapping;
    }

    static HttpServerOptions options(Settings settings) {
        return new HttpServerOptions()
                .setHost(settings.httpHost())
                .setPort(settings.httpPort())
                .setIdleTimeout(settings.idleTimeoutMs())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(16 * 1024)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setTcpNoDelay(true);
    }

    @Override
    protected void doStart() throws Exception {
        HttpServerOptions options = options(settings);
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < loops; i++) {
            HttpServer server = vertx.createHttpServer(options)
                    .connectionHandler(this::opened)
                    .invalidRequestHandler(errors::invalid)
                    .requestHandler(this::request);
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            servers.add(server);
        }
        LOG.info("HTTP API on {}:{}: {} listener(s), one per event loop", settings.httpHost(), settings.httpPort(), loops);
    }

    /** A new connection has HEADER_TIMEOUT_MS to send a request's headers. */
    private void opened(HttpConnection connection) {
        armHeaderTimer(connection);
        connection.closeHandler(v -> disarmHeaderTimer(connection));
    }

    private void request(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        disarmHeaderTimer(connection);
        // Once answered, the connection again has HEADER_TIMEOUT_MS for the next request's headers.
        request.response().endHandler(v -> armHeaderTimer(connection));
        top.handle(request);
    }

    private void armHeaderTimer(HttpConnection connection) {
        long timer = vertx.setTimer(settings.headerTimeoutMs(), id -> {
            if (headerTimers.remove(connection, id)) {
                connection.close();
            }
        });
        Long previous = headerTimers.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void disarmHeaderTimer(HttpConnection connection) {
        Long timer = headerTimers.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    protected void doStop() throws Exception {
        routesUp = false;
        for (HttpServer server : servers) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("An HTTP listener did not close cleanly: {}", e.toString());
            }
        }
        servers.clear();
    }
}
