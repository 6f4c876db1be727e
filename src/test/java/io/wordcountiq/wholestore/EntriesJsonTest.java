package io.wordcountiq.wholestore;

import io.wordcountiq.model.ChunkStream;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.support.Bodies;
import io.wordcountiq.wire.EntriesJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntriesJsonTest {

    @Test
    void shouldWriteAndParseBackEntriesIncludingCharactersThatNeedEscapingInAnyChunking() throws Exception {
        List<KeyValueBean> entries = List.of(new KeyValueBean("a\"b", 1), new KeyValueBean("grüße", 2),
                new KeyValueBean("日本語", 3), new KeyValueBean("x", Long.MAX_VALUE));

        String json = EntriesJson.write(entries);

        assertThat(json).isEqualTo("[{\"key\":\"a\\\"b\",\"value\":1},{\"key\":\"grüße\",\"value\":2},"
                + "{\"key\":\"日本語\",\"value\":3},{\"key\":\"x\",\"value\":9223372036854775807}]");
        for (int chunk : new int[] {1, 3, 7, 1000}) {
            FakeStream stream = new FakeStream(json.getBytes(StandardCharsets.UTF_8), chunk);
            assertThat(EntriesJson.collect(new PeerEntries(stream, Runnable::run), 10).toCompletableFuture().get())
                    .as("chunks of %d bytes", chunk).isEqualTo(entries);
        }
        assertThat(Bodies.drain(EntriesJson.body(new ListEntries(entries), () -> { })).text()).isEqualTo(json);
    }

    @Test
    void shouldStreamAWholeStoreInChunksWithoutHoldingIt() throws Exception {
        List<KeyValueBean> many = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            many.add(new KeyValueBean(String.format("w%07d", i), i));
        }
        boolean[] released = {false};

        Bodies.Drained body = Bodies.drain(EntriesJson.body(new ListEntries(many), () -> released[0] = true));

        assertThat(body.text().length()).isGreaterThan(200_000 * 25);
        assertThat(body.chunks()).as("written in pieces, as it is produced").isGreaterThan(100);
        assertThat(released[0]).as("the answer's hold is released at its end").isTrue();
    }

    @Test
    void shouldFailTheBodyWhenAPartFailsHalfWay() {
        List<KeyValueBean> first = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            first.add(new KeyValueBean(String.format("k%05d", i), i));
        }
        String json = EntriesJson.write(first);
        // The peer's connection breaks after 60% of its part.
        byte[] cut = Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), json.length() * 6 / 10);
        PeerEntries part = new PeerEntries(new FakeStream(cut, 4096, new IllegalStateException("the peer went away")),
                Runnable::run);

        assertThatThrownBy(() -> Bodies.drain(EntriesJson.body(part, () -> { })))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("the peer went away");
    }

    @Test
    void shouldFailAPartThatEndsBeforeItsLastEntryOrIsNotAnArrayOfEntries() throws Exception {
        for (String body : List.of("{\"status\":500}", "[{\"value\":1}]", "[{\"key\":\"a\",\"value\":1}")) {
            PeerEntries part = new PeerEntries(new FakeStream(body.getBytes(StandardCharsets.UTF_8), 5), Runnable::run);
            assertThatThrownBy(() -> EntriesJson.collect(part, 10).toCompletableFuture().get())
                    .as(body).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void shouldPauseAPeerThatSendsFasterThanTheMergeTakes() {
        List<KeyValueBean> entries = new ArrayList<>();
        for (int i = 0; i < PeerEntries.HIGH * 3; i++) {
            entries.add(new KeyValueBean(String.format("k%06d", i), i));
        }
        FakeStream stream = new FakeStream(EntriesJson.write(entries).getBytes(StandardCharsets.UTF_8), 512);
        EntrySource part = new PeerEntries(stream, Runnable::run);

        assertThat(stream.paused).as("no more than %d entries wait", PeerEntries.HIGH).isTrue();
        int taken = 0;
        while (part.peek() != null) {
            part.take();
            taken++;
        }
        assertThat(taken).isEqualTo(entries.size());
        assertThat(part.done()).isTrue();
    }

    /** Delivers bytes in chunks of a size, at once, honouring pause and resume; then ends (or fails). */
    static final class FakeStream implements ChunkStream {
        private final byte[] bytes;
        private final int chunk;
        private final Throwable failure;
        private Consumer<byte[]> chunks;
        private Consumer<Throwable> end;
        private int at;
        boolean paused;
        boolean cancelled;

        FakeStream(byte[] bytes, int chunk) {
            this(bytes, chunk, null);
        }

        FakeStream(byte[] bytes, int chunk, Throwable failure) {
            this.bytes = bytes;
            this.chunk = chunk;
            this.failure = failure;
        }

        @Override
        public void start(Consumer<byte[]> chunks, Consumer<Throwable> end) {
            this.chunks = chunks;
            this.end = end;
            flow();
        }

        private void flow() {
            while (!paused && !cancelled && at < bytes.length) {
                int n = Math.min(chunk, bytes.length - at);
                byte[] next = Arrays.copyOfRange(bytes, at, at + n);
                at += n;
                chunks.accept(next);
            }
            if (!paused && !cancelled && at >= bytes.length && end != null) {
                Consumer<Throwable> last = end;
                end = null;
                last.accept(failure);
            }
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            if (paused) {
                paused = false;
                flow();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
