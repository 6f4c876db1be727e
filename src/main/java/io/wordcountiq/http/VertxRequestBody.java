package io.wordcountiq.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.RequestBody;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A request's body, paused until a route reads it: its bytes are reserved from the {@link UploadBudget} first (the
 * declared length, or the limit for a chunked body) and released once the body is read or refused, and a body that
 * does not arrive within the request's deadline (BODY_TIMEOUT_MS) is refused with the connection closed.
 */
final class VertxRequestBody implements RequestBody {

    private final HttpServerRequest request;
    private final Context context;
    private final UploadBudget budget;
    private final long timeoutMs;

    VertxRequestBody(HttpServerRequest request, Context context, UploadBudget budget, long timeoutMs) {
        this.request = request;
        this.context = context;
        this.budget = budget;
        this.timeoutMs = timeoutMs;
        request.pause();
    }

    @Override
    public long declaredLength() {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public CompletionStage<byte[]> read(int maxBytes) {
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        long declared = declaredLength();
        if (declared > maxBytes) {
            return refuse(out, new ApiError(413, "the body is larger than " + maxBytes + " bytes"));
        }
        long reserved = declared >= 0 ? declared : maxBytes;
        if (!budget.reserve(reserved)) {
            return refuse(out, new ApiError(503, "too many uploads at once; nothing was read or written; retry shortly", 1));
        }
        context.runOnContext(v -> {
            Buffer body = Buffer.buffer((int) Math.min(reserved, 64 * 1024));
            long timer = context.owner().setTimer(timeoutMs, id -> {
                if (!out.isDone()) {
                    finish(out, reserved, null, new ApiError(408, "the body did not arrive within " + timeoutMs + " ms"));
                    request.connection().close();
                }
            });
            request.handler(chunk -> {
                if (out.isDone()) {
                    return;
                }
                if (body.length() + chunk.length() > maxBytes) {
                    context.owner().cancelTimer(timer);
                    finish(out, reserved, null, new ApiError(413, "the body is larger than " + maxBytes + " bytes"));
                    return;
                }
                body.appendBuffer(chunk);
            });
            request.exceptionHandler(e -> {
                context.owner().cancelTimer(timer);
                finish(out, reserved, null, ApiError.badRequest("the body could not be read: " + e.getMessage()));
            });
            request.endHandler(end -> {
                context.owner().cancelTimer(timer);
                finish(out, reserved, body.getBytes(), null);
            });
            request.resume();
        });
        return out;
    }

    private CompletionStage<byte[]> refuse(CompletableFuture<byte[]> out, ApiError error) {
        // The body is never kept: the HTTP server drops it after the answer, then closes the connection.
        out.completeExceptionally(error);
        return out;
    }

    private void finish(CompletableFuture<byte[]> out, long reserved, byte[] bytes, ApiError error) {
        if (out.isDone()) {
            return;
        }
        budget.release(reserved);
        if (error != null) {
            out.completeExceptionally(error);
        } else {
            out.complete(bytes);
        }
    }
}
