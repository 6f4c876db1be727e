package io.wordcountiq.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.threading.RouteThreading;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's platform-http consumer on the {@link ApiServer}, with four differences:
 * <ul>
 *   <li>A route declared {@code routePolicy: eventLoop} runs on the event loop that received the request, through
 *       Camel's asynchronous routing engine: it goes on wherever its asynchronous steps complete (a peer's answer, a
 *       timer, a pool of its own), and no thread waits. Any other route runs on a worker thread, as Camel does it.</li>
 *   <li>Headers come from the request's headers only: a query parameter never becomes a header, so a control value
 *       ({@code X-IQ-Token}, {@code X-IQ-Forwarded}) is read only where it is defined.</li>
 *   <li>No body is read before the route asks for it ({@link io.wordcountiq.model.RequestBody}); a body nobody
 *       asked for (a refused request's, or one a GET sent) is dropped after the answer, never kept.</li>
 *   <li>A request that meets a route being swapped by a reload is run again shortly, instead of failing.</li>
 * </ul>
 */
final class ApiConsumer extends VertxPlatformHttpConsumer {

    /** What the consumers of one HTTP server share: its errors, the threading the routes declare, the upload budget. */
    record Shared(ServerErrors errors, RouteThreading threading, UploadBudget uploads, Settings settings) { }

    private static final Logger LOG = LoggerFactory.getLogger(ApiConsumer.class);

    /** How long a request may keep meeting routes being swapped before it is answered 503. */
    private static final long RELOAD_RETRY_MS = 3000;
    private static final long RELOAD_PAUSE_MS = 25;

    private final Shared shared;
    private final ResponseWriter writer;

    ApiConsumer(PlatformHttpEndpoint endpoint, Processor processor, String routerName, Shared shared) {
        super(endpoint, processor, List.of(), routerName);
        this.shared = shared;
        this.writer = new ResponseWriter(endpoint.getHeaderFilterStrategy(), shared.settings().writeTimeoutMs());
    }

    @Override
    protected void handleRequest(RoutingContext ctx) {
        if (isSuspended()) {
            shared.errors().answer(ctx.response(), new ApiError(503, "this route is suspended; retry shortly", 1));
            return;
        }
        VertxCaller caller = new VertxCaller(Vertx.currentContext(), ctx.response());
        run(ctx, caller, System.nanoTime() + RELOAD_RETRY_MS * 1_000_000);
    }

    private void run(RoutingContext ctx, VertxCaller caller, long retryUntilNanos) {
        Context loop = Vertx.currentContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        exchange.setProperty(ExchangeProperties.CALLER, caller);
        processHttpRequest(exchange, ctx).onComplete(parsed -> {
            if (parsed.failed()) {
                fail(exchange, ctx, parsed.cause());
                return;
            }
            if (shared.threading().onEventLoop(ctx.request().method().name(), getEndpoint().getPath())) {
                try {
                    createUoW(exchange);
                } catch (Exception e) {
                    fail(exchange, ctx, e);
                    return;
                }
                getAsyncProcessor().process(exchange, doneSync -> {
                    if (Vertx.currentContext() == loop) {
                        respond(ctx, exchange, caller, loop, retryUntilNanos);
                    } else {
                        loop.runOnContext(v -> respond(ctx, exchange, caller, loop, retryUntilNanos));
                    }
                });
            } else {
                ctx.vertx().executeBlocking(() -> {
                    createUoW(exchange);
                    getProcessor().process(exchange);
                    return null;
                }, false).onComplete(processed -> {
                    if (processed.failed()) {
                        fail(exchange, ctx, processed.cause());
                    } else {
                        respond(ctx, exchange, caller, loop, retryUntilNanos);
                    }
                });
            }
        });
    }

    private void respond(RoutingContext ctx, Exchange exchange, VertxCaller caller, Context loop, long retryUntilNanos) {
        if (meetsReload(exchange) && !caller.gone() && !ctx.response().headWritten() && System.nanoTime() < retryUntilNanos
                && (exchange.getIn().getBody() == null || !takesBody(ctx.request().method()))) {
            done(exchange);
            ctx.vertx().setTimer(RELOAD_PAUSE_MS, id -> run(ctx, caller, retryUntilNanos));
            return;
        }
        Future<Void> written;
        try {
            if (exchange.getException() != null) {
                // Every route's errors become JSON in routes/errors.camel.yaml; this is the net below it.
                // The path is the client's: the access log writes it escaped, so it is not repeated here.
                LOG.warn("No route answered a {} request: {}", ctx.request().method(), exchange.getException().toString());
                shared.errors().answer(ctx.response(), shared.errors().unhandled());
                written = Future.succeededFuture();
            } else {
                written = writer.write(ctx.response(), exchange, caller, loop);
            }
        } catch (RuntimeException e) {
            fail(exchange, ctx, e);
            return;
        }
        written.onComplete(result -> {
            discardUnreadBody(ctx);
            done(exchange);
        });
    }

    /**
     * A body nobody read (a request refused before its body was asked for, or one whose method takes none): it is
     * read and dropped, so the client, still sending, can read the answer and go on using the connection; a body
     * still coming after BODY_TIMEOUT_MS closes the connection. Nothing of it is kept.
     */
    private void discardUnreadBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || !hasBody(request)) {
            return;
        }
        long timer = ctx.vertx().setTimer(shared.settings().bodyTimeoutMs(), id -> request.connection().close());
        request.handler(dropped -> { });
        request.exceptionHandler(e -> ctx.vertx().cancelTimer(timer));
        request.endHandler(v -> ctx.vertx().cancelTimer(timer));
        request.resume();
    }

    /** The exchange met a direct: route that was being swapped by a reload (nothing of it ran). */
    private static boolean meetsReload(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught instanceof DirectConsumerNotAvailableException
                || exchange.getException() instanceof DirectConsumerNotAvailableException;
    }

    private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
        getExceptionHandler().handleException("Failed handling " + getEndpoint().getPath(), failure);
        if (!ctx.response().headWritten()) {
            shared.errors().answer(ctx.response(), shared.errors().unhandled());
        } else if (!ctx.response().ended()) {
            ctx.response().reset();
        }
        done(exchange);
    }

    private void done(Exchange exchange) {
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }

    /**
     * The request's headers (not its query parameters) through the header filter, the path parameters, and the
     * request line; the body as a {@link VertxRequestBody} the route may read, for methods that take one.
     */
    @Override
    protected Future<Void> populateCamelMessage(RoutingContext ctx, Exchange exchange, Message message) {
        HttpServerRequest request = ctx.request();
        Map<String, Object> headers = message.getHeaders();
        HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
        MultiMap given = request.headers();
        for (Map.Entry<String, String> header : given) {
            if (filter == null || !filter.applyFilterToExternalHeaders(header.getKey(), header.getValue(), exchange)) {
                headers.putIfAbsent(header.getKey(), header.getValue());
            }
        }
        headers.putAll(ctx.pathParams());
        headers.put(Exchange.HTTP_METHOD, request.method().name());
        headers.put(Exchange.HTTP_PATH, ctx.normalizedPath());
        headers.put(Exchange.HTTP_URI, request.uri());
        if (request.query() != null) {
            headers.put(Exchange.HTTP_QUERY, request.query());
            headers.put(Exchange.HTTP_RAW_QUERY, request.query());
        }
        if (takesBody(request.method())) {
            message.setBody(new VertxRequestBody(request, Vertx.currentContext(), shared.uploads(),
                    shared.settings().bodyTimeoutMs()));
        } else {
            // A method that takes no body gets none read (it is dropped once answered).
            request.pause();
            message.setBody(null);
        }
        return Future.succeededFuture();
    }

    private static boolean takesBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return (length != null && !length.trim().equals("0")) || request.getHeader("Transfer-Encoding") != null;
    }
}
