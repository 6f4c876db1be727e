package io.wordcountiq.peer;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.wordcountiq.model.ChunkStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A peer's answer body as it arrives, paused until {@link #start}; cancelling drops the connection. */
final class VertxChunkStream implements ChunkStream {

    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final AtomicBoolean ended = new AtomicBoolean();

    VertxChunkStream(HttpClientRequest request, HttpClientResponse response) {
        this.request = request;
        this.response = response;
        response.pause();
    }

    @Override
    public void start(Consumer<byte[]> chunks, Consumer<Throwable> end) {
        response.handler(buffer -> chunks.accept(buffer.getBytes()));
        response.endHandler(v -> {
            if (ended.compareAndSet(false, true)) {
                end.accept(null);
            }
        });
        response.exceptionHandler(e -> {
            if (ended.compareAndSet(false, true)) {
                end.accept(e);
            }
        });
        response.resume();
    }

    @Override
    public void pause() {
        response.pause();
    }

    @Override
    public void resume() {
        response.resume();
    }

    @Override
    public void cancel() {
        if (ended.compareAndSet(false, true)) {
            request.reset();
        }
    }
}
