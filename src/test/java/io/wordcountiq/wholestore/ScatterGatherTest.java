package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.RecipientPlanner;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging this instance's part with the peers' parts: complete, partial (X-IQ-Missing), strict, pages. */
class ScatterGatherTest {

    private static final HostInfo PEER_A = new HostInfo("wc-1", 8080);
    private static final HostInfo PEER_B = new HostInfo("wc-2", 8080);


    @Test
    void shouldStreamEveryPartMergedInKeyOrder() throws Exception {
        Gather exchange = gathering(request(false, null, null));
        add(exchange, PEER_A, Set.of(1), entry("b", 2));
        add(exchange, PEER_B, Set.of(2), entry("a", 1), entry("c", 3));

        Streamed streamed = (Streamed) decide(exchange);

        assertThat(body(streamed)).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2},"
                + "{\"key\":\"c\",\"value\":3},{\"key\":\"z\",\"value\":26}]");
        assertThat(streamed.missing()).isNull();
    }

    @Test
    void shouldNameAMissingPeerAndItsPartitions() throws Exception {
        Gather exchange = gathering(request(false, null, null));
        add(exchange, PEER_B, Set.of(), entry("a", 1));

        Streamed streamed = (Streamed) decide(exchange);

        assertThat(body(streamed)).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"z\",\"value\":26}]");
        assertThat(streamed.missing()).containsExactly("wc-1:8080", "partition-1", "partition-2");
    }

    @Test
    void shouldRefuseAPartialAnswerWhenStrictAndAPartialPageAlways() throws Exception {
        Gather strict = gathering(request(true, null, null));
        add(strict, PEER_A, Set.of(1));
        Gather paged = gathering(request(false, 10, null));
        add(paged, PEER_A, Set.of(1));

        Failed refused = (Failed) decide(strict);
        assertThat(refused.error().status()).isEqualTo(503);
        assertThat(refused.error().details()).isEqualTo(Map.of("missingInstances", List.of("wc-2:8080"),
                "missingPartitions", Set.of(2)));
        assertThat(((Failed) decide(paged)).error().status()).as("a page never moves past unseen keys")
                .isEqualTo(503);
    }

    @Test
    void shouldKeepTheFirstNEntriesOfAPageAndLinkToTheRest() throws Exception {
        Gather first = gathering(request(false, 2, null));
        add(first, PEER_A, Set.of(1), entry("b", 2), entry("d", 4), entry("f", 6));
        add(first, PEER_B, Set.of(2), entry("a", 1), entry("c", 3));

        Page page = (Page) decide(first);

        assertThat(page.json()).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]");
        assertThat(page.next()).isEqualTo("/state/keyvalues/word-count/all?limit=2&after=b");

        Gather last = gathering(request(false, 10, "y"));
        add(last, PEER_A, Set.of(1));
        add(last, PEER_B, Set.of(2));
        Page lastPage = (Page) decide(last);
        assertThat(lastPage.json()).isEqualTo("[{\"key\":\"z\",\"value\":26}]");
        assertThat(lastPage.next()).as("the last page links nowhere").isNull();
    }

    @Test
    void shouldEncodeTheCursorOfTheNextLink() {
        RangeRequest request = request(true, 5, null);

        assertThat(WholeStoreAnswer.next(request, "grüße")).isEqualTo(
                "/state/keyvalues/word-count/all?limit=5&after=gr%C3%BC%C3%9Fe&strict=true");
    }

    @Test
    void shouldCloseAPartThatOpensAfterTheMerge() {
        Gather gather = gathering(request(false, null, null));
        gather.parts().seal();
        boolean[] closed = {false};
        EntrySource late = new ListEntries(List.of()) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        assertThat(gather.parts().add(new StorePart("wc-1:8080", late, Set.of(1)))).isFalse();
        assertThat(closed[0]).as("the caller closes it; here the add says so").isFalse();
    }

    /** A gather over partitions 0..2: this instance holds partition 0 (one key, "z"). */
    private static Gather gathering(RangeRequest request) {
        StorePart local = new StorePart("wc-0:8080", new ListEntries(List.of(new KeyValueBean("z", 26))), Set.of(0));
        Gather gather = new Gather(request, List.of(PEER_A, PEER_B), Set.of(0, 1, 2), new StoreParts());
        gather.parts().add(local);
        return gather;
    }

    private static void add(Gather gather, HostInfo peer, Set<Integer> partitions, KeyValueBean... entries) {
        gather.parts().add(new StorePart(RecipientPlanner.address(peer), new ListEntries(List.of(entries)), partitions));
    }

    private static QueryResult decide(Gather gather) throws Exception {
        return WholeStoreAnswer.decide(gather).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static RangeRequest request(boolean strict, Integer limit, String after) {
        return new RangeRequest("word-count", null, null, strict, limit, after, false);
    }

    private static KeyValueBean entry(String key, long value) {
        return new KeyValueBean(key, value);
    }

    private static String body(Streamed streamed) throws Exception {
        return Bodies.drain(streamed.body()).text();
    }

}
