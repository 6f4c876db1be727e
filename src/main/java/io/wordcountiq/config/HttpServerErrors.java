package io.wordcountiq.config;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.query.Replies;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answer the HTTP server gives outside the routes is the same JSON error as the routes' own: requests that
 * match no route (404, 405), and errors the server raises itself (a malformed percent-encoding, a body over
 * MAX_BODY_BYTES, a failure before a route ran). Installed on the router as soon as the server starts.
 *
 * <p>The server listens before the routes are up, and keeps listening while they stop: a request then gets 503
 * with Retry-After (ask another instance; a load balancer retries it), never a 404 that could be taken for
 * "no such word".
 */
public final class HttpServerErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerErrors.class);
    private static final List<Integer> SERVER_STATUSES = List.of(400, 404, 405, 413, 414, 431, 500, 503);

    private final int httpPort;
    private final Replies replies;
    private final BooleanSupplier stopping;
    private volatile boolean routesUp;
    private volatile boolean installed;

    public HttpServerErrors(int httpPort, Replies replies, BooleanSupplier stopping) {
        this.httpPort = httpPort;
        this.replies = replies;
        this.stopping = stopping;
    }

    /** Installs the handlers once the HTTP server has started, as the routes start (the server starts first). */
    public void installOnStart(CamelContext context) {
        SimpleEventNotifierSupport notifier = new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return !installed && (event.getType() == CamelEvent.Type.RoutesStarting
                        || event.getType() == CamelEvent.Type.RouteStarting);
            }

            @Override
            public void notify(CamelEvent event) {
                install(context);
            }
        };
        context.getManagementStrategy().addEventNotifier(notifier);
    }

    /** Every route is up: requests that match none get 404/405 from now on. */
    public void routesUp(CamelContext context) {
        install(context);
        routesUp = true;
    }

    private synchronized void install(CamelContext context) {
        if (installed) {
            return;
        }
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(httpPort));
        if (router == null) {
            return;
        }
        router.route().last().handler(this::unmatched);
        for (int status : SERVER_STATUSES) {
            router.errorHandler(status, ctx -> failed(ctx, status));
        }
        Router top = topRouter(router);
        if (top != null) {
            for (int status : SERVER_STATUSES) {
                top.errorHandler(status, ctx -> failed(ctx, status));
            }
        }
        installed = true;
    }

    /**
     * The server's top router, in front of the sub-router that Camel hands out: a request whose path cannot even be
     * decoded fails there, before any route is matched. Camel 4.18 keeps it in a private field; if a later version
     * moves it, such requests get Vert.x's plain-text answer again (a test watches this).
     */
    static Router topRouter(VertxPlatformHttpRouter router) {
        try {
            java.lang.reflect.Field field = VertxPlatformHttpServer.class.getDeclaredField("router");
            field.setAccessible(true);
            return (Router) field.get(router.getServer());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot reach the HTTP server's top router ({}): malformed requests get Vert.x's plain-text errors",
                    e.toString());
            return null;
        }
    }

    private void unmatched(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (!routesUp || stopping.getAsBoolean()) {
            answer(ctx, unavailable());
            return;
        }
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        boolean known = path.startsWith("/state/") || path.equals("/lines");
        boolean wrongMethod = known && (path.equals("/lines") ? method != HttpMethod.POST : method != HttpMethod.GET);
        if (wrongMethod) {
            ctx.response().putHeader("Allow", path.equals("/lines") ? "POST" : "GET");
            answer(ctx, new ApiError(405, "method " + method.name() + " is not allowed here"));
        } else {
            answer(ctx, ApiError.notFound("no such resource; see /openapi.json"));
        }
    }

    /** An error the server raised itself, or a failure before or around a route. */
    private void failed(RoutingContext ctx, int status) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            // A streamed answer failed half way: cut the connection, so the client never sees a final chunk and
            // cannot take the cut answer for a whole one.
            LOG.debug("A streamed answer to {} failed half way: {}", ctx.request().path(), String.valueOf(ctx.failure()));
            ctx.response().reset();
            return;
        }
        if (ctx.failure() != null) {
            LOG.debug("HTTP server answered {} for {} {}: {}", status, ctx.request().method(), ctx.request().path(),
                    ctx.failure().toString());
        }
        ApiError error = switch (status) {
            case 400 -> ApiError.badRequest("the request is malformed (for example a bad percent-encoding in the path)");
            case 404 -> !routesUp || stopping.getAsBoolean() ? unavailable() : ApiError.notFound("no such resource; see /openapi.json");
            case 405 -> new ApiError(405, "method " + ctx.request().method().name() + " is not allowed here");
            case 413 -> new ApiError(413, "the body is larger than MAX_BODY_BYTES");
            case 414 -> new ApiError(414, "the request line is too long");
            case 431 -> new ApiError(431, "the request headers are too large");
            // A request caught by a stopping or starting route: another instance can answer it.
            default -> stopping.getAsBoolean() || !routesUp ? unavailable() : new ApiError(status == 503 ? 503 : 500,
                    status == 503 ? "this instance cannot answer right now; retry shortly" : "internal error",
                    status == 503 ? 1 : null);
        };
        answer(ctx, error);
    }

    private ApiError unavailable() {
        return new ApiError(503, stopping.getAsBoolean() ? "this instance is stopping; ask another one"
                : "this instance is starting; ask another one", 1);
    }

    private void answer(RoutingContext ctx, ApiError error) {
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(Headers.SERVED_BY, replies.self());
        if (error.retryAfterSeconds() != null) {
            ctx.response().putHeader(Headers.RETRY_AFTER, error.retryAfterSeconds().toString());
        }
        ctx.response().end(Replies.errorBody(error));
    }
}
