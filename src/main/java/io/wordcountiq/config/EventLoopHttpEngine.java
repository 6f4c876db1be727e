package io.wordcountiq.config;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * platform-http on Vert.x, with one difference: a request that {@link EventLoopRequests} says never blocks runs its
 * route on the Vert.x event loop that received it, through Camel's asynchronous routing engine, instead of on a
 * worker thread. Every other request is handed to a worker thread as Camel's own consumer does.
 *
 * <p>Why: on a worker, each request costs two thread hand-offs (event loop to worker and back), and a forwarded one
 * costs them on the instance asked too, while the asking one parks a worker in the hop's blocking read. Those
 * hand-offs, not the reads or the network, were most of a key lookup's cost (docs/performance.md). A key lookup that
 * does not wait for a consistency token only reads local state (microseconds) and, for a key held elsewhere, sends
 * the hop with camel-vertx-http from this event loop without blocking; camel-vertx-http 4.18 then handles the reply
 * on a worker thread (VertxHttpProducer#createResultHandler), where the walk goes on, and the answer is written from
 * the connection's event loop.
 *
 * <p>The routes are the same routes; only the thread they start on differs. The answer is written by Camel's own
 * platform-http code (VertxPlatformHttpSupport.writeResponse), so headers, filters and bodies are exactly those of a
 * request run on a worker.
 */
public final class EventLoopHttpEngine extends VertxPlatformHttpEngine {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopHttpEngine.class);
    private static final MethodHandle WRITE_RESPONSE = writeResponse();

    private final EventLoopRequests requests;

    public EventLoopHttpEngine(EventLoopRequests requests) {
        this.requests = requests;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        if (!requests.routeNeverBlocks(endpoint.getPath())) {
            return super.createConsumer(endpoint, processor);
        }
        LOG.info("GET {} without a consistency token runs on the HTTP event loop", endpoint.getPath());
        return new Consumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), requests);
    }

    /** Camel's consumer, but requests that never block run on the event loop. */
    static final class Consumer extends VertxPlatformHttpConsumer {

        private final EventLoopRequests requests;

        Consumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
                 String routerName, EventLoopRequests requests) {
            super(endpoint, processor, handlers, routerName);
            this.requests = requests;
        }

        @Override
        protected void handleRequest(RoutingContext ctx) {
            if (isSuspended() || !requests.neverBlocks(ctx.request())) {
                super.handleRequest(ctx);
                return;
            }
            Context loop = Vertx.currentContext();
            Exchange exchange = createExchange(false);
            exchange.setPattern(ExchangePattern.InOut);
            processHttpRequest(exchange, ctx).onComplete(parsed -> {
                if (parsed.failed()) {
                    fail(exchange, ctx, parsed.cause());
                    return;
                }
                try {
                    createUoW(exchange);
                } catch (Exception e) {
                    fail(exchange, ctx, e);
                    return;
                }
                getAsyncProcessor().process(exchange, doneSync -> {
                    if (loop == null || Vertx.currentContext() == loop) {
                        respond(exchange, ctx);
                    } else {
                        // The route went on on another thread (a walk's pause): answer from the connection's loop.
                        loop.runOnContext(v -> respond(exchange, ctx));
                    }
                });
            });
        }

        private void respond(Exchange exchange, RoutingContext ctx) {
            Future<Void> written;
            try {
                written = write(ctx, exchange, getEndpoint().getHeaderFilterStrategy(), getEndpoint().isMuteException());
            } catch (Throwable e) {
                fail(exchange, ctx, e);
                return;
            }
            written.onComplete(result -> {
                if (result.succeeded()) {
                    done(exchange);
                } else {
                    fail(exchange, ctx, result.cause());
                }
            });
        }

        private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
            getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(),
                    failure);
            if (!ctx.response().ended()) {
                ctx.fail(failure);
            }
            done(exchange);
        }

        private void done(Exchange exchange) {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }

        @SuppressWarnings("unchecked")
        private static Future<Void> write(RoutingContext ctx, Exchange exchange, HeaderFilterStrategy filter,
                                          boolean muteExceptions) throws Throwable {
            return (Future<Void>) WRITE_RESPONSE.invoke(ctx, exchange, filter, muteExceptions);
        }
    }

    /** VertxPlatformHttpSupport.writeResponse: package-private in Camel, the one place an answer is written. */
    private static MethodHandle writeResponse() {
        try {
            Class<?> support = Class.forName("org.apache.camel.component.platform.http.vertx.VertxPlatformHttpSupport");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(support, MethodHandles.lookup());
            return lookup.findStatic(support, "writeResponse", MethodType.methodType(Future.class, RoutingContext.class,
                    Exchange.class, HeaderFilterStrategy.class, boolean.class));
        } catch (ReflectiveOperationException e) {
            LOG.error("Camel's platform-http has no writeResponse(RoutingContext, Exchange, HeaderFilterStrategy, boolean)");
            throw new ExceptionInInitializerError(e);
        }
    }
}
