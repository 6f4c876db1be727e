package io.wordcountiq.wholestore;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreParts;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.support.Bodies;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answer the parts of a whole-store read make, beyond what ScatterGatherTest covers: when it is decided, a part
 * that failed before its first entry, peers whose partitions others covered, staleness, tokens, and the next link.
 */
class WholeStoreAnswerTest {

    private static final HostInfo PEER_A = new HostInfo("wc-1", 8080);
    private static final HostInfo PEER_B = new HostInfo("wc-2", 8080);

    @Test
    void shouldDecideOnlyOnceEveryPartHasItsFirstEntry() throws Exception {
        Gather gather = gather(request(false, null, null), part("wc-0:8080", Set.of(0), entries(entry("a", 1))));
        Pending slow = new Pending(entry("b", 2));
        gather.parts().add(new StorePart("wc-1:8080", slow, Set.of(1, 2)));

        CompletableFuture<QueryResult> answer = WholeStoreAnswer.decide(gather).toCompletableFuture();

        assertThat(answer).isNotDone();
        slow.arrive();
        Streamed streamed = (Streamed) answer.get(10, TimeUnit.SECONDS);
        assertThat(streamed.missing()).isNull();
        assertThat(Bodies.drain(streamed.body()).text()).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]");
    }

    @Test
    void shouldDropAndCloseAPartThatFailedBeforeItsFirstEntryAndNameItMissing() throws Exception {
        Failing failed = new Failing();
        Gather gather = gather(request(false, null, null), part("wc-0:8080", Set.of(0), entries(entry("a", 1))),
                new StorePart("wc-1:8080", failed, Set.of(1)), part("wc-2:8080", Set.of(2), entries()));

        Streamed streamed = (Streamed) decide(gather);

        assertThat(failed.closed).isTrue();
        assertThat(streamed.missing()).containsExactly("wc-1:8080", "partition-1");
        assertThat(Bodies.drain(streamed.body()).text()).isEqualTo("[{\"key\":\"a\",\"value\":1}]");
    }

    @Test
    void shouldNotNameAPeerMissingWhenOthersCoveredItsPartitions() throws Exception {
        // wc-1 did not answer, but this instance's standbys and wc-2 hold every partition between them.
        Gather gather = gather(request(false, null, null), part("wc-0:8080", Set.of(0, 1), entries()),
                part("wc-2:8080", Set.of(2), entries()));

        assertThat(((Streamed) decide(gather)).missing()).isNull();
    }

    @Test
    void shouldCloseEveryPartWhenAStrictAnswerIsRefused() throws Exception {
        Pending open = new Pending();
        open.arrive();
        Gather gather = gather(request(true, null, null), new StorePart("wc-0:8080", open, Set.of(0)));

        Failed failed = (Failed) decide(gather);

        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().details()).isEqualTo(Map.of("missingInstances", List.of("wc-1:8080", "wc-2:8080"),
                "missingPartitions", Set.of(1, 2)));
        assertThat(open.closed).isTrue();
        assertThat(gather.parts().add(part("wc-1:8080", Set.of(1), entries()))).as("nothing joins a refused answer")
                .isFalse();
    }

    @Test
    void shouldCarryTheLargestLagAndEveryPartsPositions() throws Exception {
        ConsistencyToken asked = ConsistencyToken.written(Map.of(0, 4L), Set.of(1));
        Gather gather = gather(request(false, null, null, asked, null),
                new StorePart("wc-0:8080", entries(), Set.of(0), new ConsistencyToken(Map.of(), Set.of(), Map.of(0, 10L)), null),
                new StorePart("wc-1:8080", entries(), Set.of(1), new ConsistencyToken(Map.of(), Set.of(), Map.of(1, 20L)), 7L),
                new StorePart("wc-2:8080", entries(), Set.of(2), ConsistencyToken.NONE, 3L));

        Streamed streamed = (Streamed) decide(gather);

        assertThat(streamed.staleLag()).isEqualTo(7L);
        assertThat(streamed.token().positions()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 10L, 1, 20L));
        assertThat(streamed.token().writes()).as("the request's own token is kept").isEqualTo(asked.writes());
    }

    @Test
    void shouldCallTheLagUnknownWhenOnePartsLagIsUnknown() throws Exception {
        Gather gather = gather(request(false, 5, null), new StorePart("wc-0:8080", entries(), Set.of(0), ConsistencyToken.NONE, 9L),
                new StorePart("wc-1:8080", entries(), Set.of(1, 2), ConsistencyToken.NONE, -1L));

        assertThat(((Page) decide(gather)).staleLag()).isEqualTo(-1L);
    }

    @Test
    void shouldLinkNowhereFromAPageThatHoldsExactlyTheLastEntries() throws Exception {
        Gather gather = gather(request(false, 2, null), part("wc-0:8080", Set.of(0), entries(entry("a", 1))),
                part("wc-1:8080", Set.of(1, 2), entries(entry("b", 2))));

        Page page = (Page) decide(gather);

        assertThat(page.json()).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]");
        assertThat(page.next()).isNull();
    }

    @Test
    void shouldCarryTheRangeStrictAndMaxLagIntoTheNextLinkButNeverTheToken() {
        RangeRequest request = new RangeRequest("word-count", "a b", "z", true, 3, "c", false,
                ConsistencyToken.written(Map.of(0, 1L), Set.of(0)), 40L);

        assertThat(WholeStoreAnswer.next(request, "d/e"))
                .isEqualTo("/state/keyvalues/word-count/range/a%20b/z?limit=3&after=d%2Fe&strict=true&maxLag=40");
        assertThat(WholeStoreAnswer.next(request(false, 3, null), "x"))
                .isEqualTo("/state/keyvalues/word-count/all?limit=3&after=x");
    }

    private static QueryResult decide(Gather gather) throws Exception {
        return WholeStoreAnswer.decide(gather).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A gather over partitions 0..2 with two peers, holding these parts. */
    private static Gather gather(RangeRequest request, StorePart... parts) {
        Gather gather = new Gather(request, List.of(PEER_A, PEER_B), Set.of(0, 1, 2), new StoreParts());
        for (StorePart part : parts) {
            gather.parts().add(part);
        }
        return gather;
    }

    private static StorePart part(String host, Set<Integer> partitions, EntrySource entries) {
        return new StorePart(host, entries, partitions);
    }

    private static RangeRequest request(boolean strict, Integer limit, String after) {
        return new RangeRequest("word-count", null, null, strict, limit, after, false);
    }

    private static RangeRequest request(boolean strict, Integer limit, String after, ConsistencyToken token, Long maxLag) {
        return new RangeRequest("word-count", null, null, strict, limit, after, false, token, maxLag);
    }

    private static EntrySource entries(KeyValueBean... entries) {
        return new ListEntries(List.of(entries));
    }

    private static KeyValueBean entry(String key, long value) {
        return new KeyValueBean(key, value);
    }

    /** A part whose entries have not arrived yet: {@link #arrive} delivers them. */
    private static final class Pending extends ListEntries {
        private boolean arrived;
        private Runnable waiting;
        private boolean closed;

        Pending(KeyValueBean... entries) {
            super(List.of(entries));
        }

        void arrive() {
            arrived = true;
            if (waiting != null) {
                waiting.run();
            }
        }

        @Override
        public KeyValueBean peek() {
            return arrived ? super.peek() : null;
        }

        @Override
        public boolean done() {
            return arrived && super.done();
        }

        @Override
        public void demand(Runnable ready) {
            if (arrived) {
                ready.run();
            } else {
                waiting = ready;
            }
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }

    /** A peer's part whose connection broke before its first entry. */
    private static final class Failing extends ListEntries {
        private boolean closed;

        Failing() {
            super(List.of());
        }

        @Override
        public Throwable failure() {
            return new IOException("connection reset");
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
