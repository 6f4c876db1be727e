package io.wordcountiq.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/** The bodies of a key lookup's answer, and the token a read's answer carries. */
class AnswersTest {

    private static final KeyRequest HELLO = new KeyRequest("word-count", "hello");
    private static final WindowRequest WINDOWS = new WindowRequest("windowed-word-count", "hello", 0, 120_000, false,
            ConsistencyToken.NONE, null);

    @Test
    void shouldAnswerACountOrItsAbsence() {
        assertThat(Answers.keyValue(HELLO, 3L, Copy.ACTIVE, ConsistencyToken.NONE))
                .isEqualTo(new Found("{\"key\":\"hello\",\"value\":3}", Copy.ACTIVE, ConsistencyToken.NONE));
        assertThat(Answers.keyValue(HELLO, null, Copy.ACTIVE, ConsistencyToken.NONE))
                .isEqualTo(new Absent("hello", Copy.ACTIVE, ConsistencyToken.NONE));
    }

    @Test
    void shouldNameEachWindowByItsStartUnwrapTimestampedValuesAndCloseTheIterator() {
        Windows iterator = new Windows(List.of(KeyValue.pair(0L, 2L), KeyValue.pair(60_000L, ValueAndTimestamp.make(5L, 60_001L))));

        assertThat(Answers.windows(WINDOWS, iterator, Copy.ACTIVE, ConsistencyToken.NONE)).isEqualTo(new Found(
                "[{\"key\":\"hello@0\",\"value\":2},{\"key\":\"hello@60000\",\"value\":5}]", Copy.ACTIVE, ConsistencyToken.NONE));
        assertThat(iterator.closed).isTrue();
    }

    @Test
    void shouldAdvanceTheTokenToTheReadsPosition() {
        ConsistencyToken seen = new ConsistencyToken(Map.of(), Set.of(), Map.of(1, 7L));
        KeyRequest withToken = new KeyRequest("word-count", "hello", false, seen, null);
        ConsistencyToken at9 = seen.withPosition(2, 9);

        assertThat(new CopyRead(new Found("{}", Copy.ACTIVE), Copy.ACTIVE, 9).withToken(withToken, 2))
                .isEqualTo(new Found("{}", Copy.ACTIVE, at9));
        assertThat(new CopyRead(new Absent("hello", Copy.RESTORING), Copy.RESTORING, 9).withToken(withToken, 2))
                .isEqualTo(new Absent("hello", Copy.RESTORING, at9));
    }

    /** A window store's answer from a list. */
    private static final class Windows implements WindowStoreIterator<Object> {
        private final Iterator<KeyValue<Long, Object>> entries;
        private boolean closed;

        @SuppressWarnings({"unchecked", "rawtypes"})
        Windows(List<? extends KeyValue<Long, ?>> entries) {
            this.entries = (Iterator) entries.iterator();
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public Long peekNextKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public KeyValue<Long, Object> next() {
            return entries.next();
        }
    }
}
