package io.wordcountiq.http;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wordcountiq.http.Replies;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answer the HTTP server gives outside the routes is the same JSON error as the routes' own: a request the
 * codec cannot parse (a request line or headers too long, a malformed request), one that matches no route (404, 405),
 * and a failure before or around a route. While the routes are not up (starting, stopping, or a route file being
 * swapped) an unmatched request gets 503 with Retry-After, never a 404 that could be taken for "no such word".
 */
final class ServerErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ServerErrors.class);
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 404, 405, 413, 414, 431, 500, 503);

    private final String self;
    private final BooleanSupplier routesUp;

    ServerErrors(String self, BooleanSupplier routesUp) {
        this.self = self;
        this.routesUp = routesUp;
    }

    /** The top router's and the API router's error handlers, and the API router's last route (nothing matched). */
    void install(Router top, Router api) {
        api.route().last().handler(this::unmatched);
        for (int status : ROUTER_STATUSES) {
            api.errorHandler(status, ctx -> failed(ctx, status));
            top.errorHandler(status, ctx -> failed(ctx, status));
        }
    }

    /** A request the HTTP codec could not parse: Vert.x would answer it in plain text. */
    void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ApiError error;
        if (cause instanceof TooLongFrameException && cause.getMessage() != null && cause.getMessage().contains("line")) {
            error = new ApiError(414, "the request line is too long");
        } else if (cause instanceof TooLongFrameException) {
            error = new ApiError(431, "the request headers are too large");
        } else {
            error = ApiError.badRequest("the request is malformed");
        }
        request.response().putHeader("Connection", "close");
        answer(request.response(), error);
    }

    private void unmatched(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (!routesUp.getAsBoolean()) {
            answer(ctx.response(), unavailable());
            return;
        }
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        boolean known = path.startsWith("/state/") || path.equals("/lines");
        boolean wrongMethod = known && (path.equals("/lines") ? method != HttpMethod.POST : method != HttpMethod.GET);
        if (wrongMethod) {
            ctx.response().putHeader("Allow", path.equals("/lines") ? "POST" : "GET");
            answer(ctx.response(), new ApiError(405, "method " + method.name() + " is not allowed here"));
        } else {
            answer(ctx.response(), ApiError.notFound("no such resource; see /openapi.json"));
        }
    }

    private void failed(RoutingContext ctx, int status) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            // A streamed answer failed half way: cut the connection, so the client never sees a final chunk.
            ctx.response().reset();
            return;
        }
        if (ctx.failure() != null) {
            LOG.debug("HTTP server answered {} for {} {}: {}", status, ctx.request().method(), ctx.request().path(),
                    ctx.failure().toString());
        }
        ApiError error = switch (status) {
            case 400 -> ApiError.badRequest("the request is malformed (for example a bad percent-encoding in the path)");
            case 404 -> routesUp.getAsBoolean() ? ApiError.notFound("no such resource; see /openapi.json") : unavailable();
            case 405 -> new ApiError(405, "method " + ctx.request().method().name() + " is not allowed here");
            case 413 -> new ApiError(413, "the body is larger than MAX_BODY_BYTES");
            case 414 -> new ApiError(414, "the request line is too long");
            case 431 -> new ApiError(431, "the request headers are too large");
            default -> routesUp.getAsBoolean() ? new ApiError(status == 503 ? 503 : 500,
                    status == 503 ? "this instance cannot answer right now; retry shortly" : "internal error",
                    status == 503 ? 1 : null) : unavailable();
        };
        answer(ctx.response(), error);
    }

    /**
     * A failure no route turned into an answer: 500 while the routes are up; while they are starting, stopping or
     * being swapped, the 503 with Retry-After that says so (a stopping instance fails requests it can no longer run).
     */
    ApiError unhandled() {
        return routesUp.getAsBoolean() ? new ApiError(500, "internal error") : unavailable();
    }

    private static ApiError unavailable() {
        return new ApiError(503, "this instance is starting, stopping or swapping a route file; ask another one or "
                + "retry shortly", 1);
    }

    /** Writes an error as the routes would: JSON, X-IQ-Served-By, Retry-After when it has one, its own headers. */
    void answer(HttpServerResponse response, ApiError error) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(Headers.SERVED_BY, self);
        if (error.retryAfterSeconds() != null) {
            response.putHeader(Headers.RETRY_AFTER, error.retryAfterSeconds().toString());
        }
        error.headers().forEach(response::putHeader);
        response.end(Replies.errorBody(error));
    }
}
