package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntriesJsonTest {

    @Test
    void shouldWriteAndReadBackEntriesIncludingCharactersThatNeedEscaping() throws IOException {
        List<KeyValueBean> entries = List.of(new KeyValueBean("a\"b", 1), new KeyValueBean("grüße", 2), new KeyValueBean("x", Long.MAX_VALUE));

        String json = EntriesJson.write(entries);

        assertThat(json).isEqualTo("[{\"key\":\"a\\\"b\",\"value\":1},{\"key\":\"grüße\",\"value\":2},{\"key\":\"x\",\"value\":9223372036854775807}]");
        assertThat(EntriesJson.take(EntriesJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))), 10))
                .isEqualTo(entries);
        try (InputStream streamed = EntriesJson.stream(EntrySource.of(entries))) {
            assertThat(new String(streamed.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        }
    }

    @Test
    void shouldStreamAWholeStoreInChunksWithoutHoldingIt() throws IOException {
        int n = 200_000;
        EntrySource many = new EntrySource() {
            private int i;

            public KeyValueBean peek() {
                return i < n ? new KeyValueBean(String.format("w%07d", i), i) : null;
            }

            public KeyValueBean next() {
                return new KeyValueBean(String.format("w%07d", i), i++);
            }

            public void close() {
            }
        };
        long bytes = 0;
        int reads = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = EntriesJson.stream(many)) {
            for (int r; (r = in.read(buffer)) > 0; ) {
                bytes += r;
                reads++;
            }
        }
        assertThat(bytes).isGreaterThan(n * 25L);
        assertThat(reads).as("read in pieces, as it is produced").isGreaterThan(100);
    }

    @Test
    void shouldFailTheStreamWhenAPartFailsHalfWay() {
        List<KeyValueBean> first = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            first.add(new KeyValueBean(String.format("k%05d", i), i));
        }
        EntrySource inner = EntrySource.of(first);
        EntrySource failing = new EntrySource() {
            public KeyValueBean peek() {
                if (inner.peek() == null) {
                    throw new IllegalStateException("the peer went away");
                }
                return inner.peek();
            }

            public KeyValueBean next() {
                peek();
                return inner.next();
            }

            public void close() {
            }
        };

        assertThatThrownBy(() -> EntriesJson.stream(failing).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("the peer went away");
    }

    @Test
    void shouldRefuseAReplyThatIsNotAnArrayOfEntries() {
        assertThatThrownBy(() -> EntriesJson.read(new ByteArrayInputStream("{\"status\":500}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EntriesJson.read(new ByteArrayInputStream("[{\"value\":1}]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalStateException.class);
    }
}
