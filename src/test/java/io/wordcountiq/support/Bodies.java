package io.wordcountiq.support;

import io.wordcountiq.model.AsyncBody;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Reads an {@link AsyncBody} to its end as the HTTP server would, within a deadline. */
public final class Bodies {

    private Bodies() {
    }

    /** The whole body and how many chunks it came in; a body that fails throws its failure. */
    public static Drained drain(AsyncBody body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        int[] chunks = {0};
        new Object() {
            void pull() {
                body.next(new AsyncBody.Sink() {
                    @Override
                    public void chunk(byte[] bytes) {
                        out.writeBytes(bytes);
                        chunks[0]++;
                        pull();
                    }

                    @Override
                    public void end() {
                        done.complete(chunks[0]);
                    }

                    @Override
                    public void fail(Throwable cause) {
                        done.completeExceptionally(cause);
                    }
                });
            }
        }.pull();
        int n = done.get(30, TimeUnit.SECONDS);
        return new Drained(out.toString(java.nio.charset.StandardCharsets.UTF_8), n);
    }

    public record Drained(String text, int chunks) {
    }
}
