package io.wordcountiq.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.wordcountiq.model.AsyncBody;
import io.wordcountiq.model.Caller;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a route's answer: the status, the headers the {@link ResponseHeaderFilter} lets out, and the body. An
 * {@link AsyncBody} is written chunk by chunk as the client takes it: the next chunk is asked for only once the
 * connection can take more, a client that stops reading for WRITE_TIMEOUT_MS is cut off, and one that goes away
 * cancels the body, so everything it held (connections to peers, store iterators, a whole-store slot) is released.
 * A body that fails half way resets the connection: a cut answer never ends as if it were whole.
 */
final class ResponseWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);

    private final HeaderFilterStrategy filter;
    private final long writeTimeoutMs;

    ResponseWriter(HeaderFilterStrategy filter, long writeTimeoutMs) {
        this.filter = filter;
        this.writeTimeoutMs = writeTimeoutMs;
    }

    /** Completes when the answer is written, cut, or its client has gone. Call on the request's event loop. */
    Future<Void> write(HttpServerResponse response, Exchange exchange, Caller caller, Context loop) {
        if (response.ended() || response.closed()) {
            Object body = exchange.getMessage().getBody();
            if (body instanceof AsyncBody async) {
                async.cancel();
            }
            return Future.succeededFuture();
        }
        Message message = exchange.getMessage();
        response.setStatusCode(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            Object value = header.getValue();
            if (value != null && !filter.applyFilterToCamelHeaders(header.getKey(), value, exchange)) {
                response.putHeader(header.getKey(), value.toString());
            }
        }
        Object body = message.getBody();
        if (body instanceof AsyncBody async) {
            return stream(response, async, caller, loop);
        }
        Buffer whole;
        if (body == null) {
            whole = Buffer.buffer(0);
        } else if (body instanceof String text) {
            whole = Buffer.buffer(text);
        } else if (body instanceof byte[] bytes) {
            whole = Buffer.buffer(bytes);
        } else if (body instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            whole = Buffer.buffer(bytes);
        } else if (body instanceof Buffer buffer) {
            whole = buffer;
        } else {
            whole = Buffer.buffer(String.valueOf(body).getBytes(StandardCharsets.UTF_8));
        }
        // Said explicitly, so that the answer to a HEAD says it too.
        response.putHeader("Content-Length", Integer.toString(whole.length()));
        return response.end(whole);
    }

    private Future<Void> stream(HttpServerResponse response, AsyncBody body, Caller caller, Context loop) {
        Promise<Void> done = Promise.promise();
        AtomicBoolean over = new AtomicBoolean();
        Runnable abandon = () -> {
            if (over.compareAndSet(false, true)) {
                body.cancel();
                if (!response.closed()) {
                    response.reset();
                }
                done.tryComplete();
            }
        };
        caller.whenGone(() -> loop.runOnContext(v -> abandon.run()));
        response.setChunked(true);
        new Pump(response, body, loop, over, abandon, done).pull();
        return done.future();
    }

    /** Asks the body for a chunk whenever the connection can take one. */
    private final class Pump implements AsyncBody.Sink {
        private final HttpServerResponse response;
        private final AsyncBody body;
        private final Context loop;
        private final AtomicBoolean over;
        private final Runnable abandon;
        private final Promise<Void> done;

        Pump(HttpServerResponse response, AsyncBody body, Context loop, AtomicBoolean over, Runnable abandon,
             Promise<Void> done) {
            this.response = response;
            this.body = body;
            this.loop = loop;
            this.over = over;
            this.abandon = abandon;
            this.done = done;
        }

        void pull() {
            if (!over.get()) {
                body.next(this);
            }
        }

        @Override
        public void chunk(byte[] bytes) {
            loop.runOnContext(v -> {
                if (over.get()) {
                    return;
                }
                response.write(Buffer.buffer(bytes));
                if (!response.writeQueueFull()) {
                    pull();
                    return;
                }
                long timer = loop.owner().setTimer(writeTimeoutMs, id -> {
                    LOG.debug("A client stopped reading a streamed answer for {} ms: cut off", writeTimeoutMs);
                    abandon.run();
                });
                response.drainHandler(d -> {
                    loop.owner().cancelTimer(timer);
                    pull();
                });
            });
        }

        @Override
        public void end() {
            loop.runOnContext(v -> {
                if (over.compareAndSet(false, true)) {
                    response.end().onComplete(r -> done.tryComplete());
                }
            });
        }

        @Override
        public void fail(Throwable cause) {
            loop.runOnContext(v -> {
                LOG.debug("A streamed answer failed half way: {}", String.valueOf(cause));
                abandon.run();
            });
        }
    }
}
