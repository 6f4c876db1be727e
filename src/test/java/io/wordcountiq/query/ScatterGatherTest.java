package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.KeyValueBean;

import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreParts;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Merging this instance's part with the peers' parts: complete, partial (X-IQ-Missing), strict, pages. */
class ScatterGatherTest {

    private static final HostInfo PEER_A = new HostInfo("wc-1", 8080);
    private static final HostInfo PEER_B = new HostInfo("wc-2", 8080);

    private final ScatterGather scatterGather = new ScatterGather(null, null, null, 2);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldStreamEveryPartMergedInKeyOrder() throws IOException {
        Exchange exchange = gathering(request(false, null, null));
        add(exchange, PEER_A, Set.of(1), entry("b", 2));
        add(exchange, PEER_B, Set.of(2), entry("a", 1), entry("c", 3));

        Streamed streamed = (Streamed) scatterGather.merge(exchange);

        assertThat(body(streamed)).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2},"
                + "{\"key\":\"c\",\"value\":3},{\"key\":\"z\",\"value\":26}]");
        assertThat(streamed.missing()).isNull();
    }

    @Test
    void shouldNameAMissingPeerAndItsPartitions() throws IOException {
        Exchange exchange = gathering(request(false, null, null));
        add(exchange, PEER_B, Set.of(), entry("a", 1));

        Streamed streamed = (Streamed) scatterGather.merge(exchange);

        assertThat(body(streamed)).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"z\",\"value\":26}]");
        assertThat(streamed.missing()).containsExactly("wc-1:8080", "partition-1", "partition-2");
    }

    @Test
    void shouldRefuseAPartialAnswerWhenStrictAndAPartialPageAlways() {
        Exchange strict = gathering(request(true, null, null));
        add(strict, PEER_A, Set.of(1));
        Exchange paged = gathering(request(false, 10, null));
        add(paged, PEER_A, Set.of(1));

        Failed refused = (Failed) scatterGather.merge(strict);
        assertThat(refused.error().status()).isEqualTo(503);
        assertThat(refused.error().details()).isEqualTo(Map.of("missingInstances", List.of("wc-2:8080"),
                "missingPartitions", Set.of(2)));
        assertThat(((Failed) scatterGather.merge(paged)).error().status()).as("a page never moves past unseen keys")
                .isEqualTo(503);
    }

    @Test
    void shouldKeepTheFirstNEntriesOfAPageAndLinkToTheRest() {
        Exchange first = gathering(request(false, 2, null));
        add(first, PEER_A, Set.of(1), entry("b", 2), entry("d", 4), entry("f", 6));
        add(first, PEER_B, Set.of(2), entry("a", 1), entry("c", 3));

        Page page = (Page) scatterGather.merge(first);

        assertThat(page.json()).isEqualTo("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]");
        assertThat(page.next()).isEqualTo("/state/keyvalues/word-count/all?limit=2&after=b");

        Exchange last = gathering(request(false, 10, "y"));
        add(last, PEER_A, Set.of(1));
        add(last, PEER_B, Set.of(2));
        Page lastPage = (Page) scatterGather.merge(last);
        assertThat(lastPage.json()).isEqualTo("[{\"key\":\"z\",\"value\":26}]");
        assertThat(lastPage.next()).as("the last page links nowhere").isNull();
    }

    @Test
    void shouldEncodeTheCursorOfTheNextLink() {
        RangeRequest request = request(true, 5, null);

        assertThat(ScatterGather.next(request, "grüße")).isEqualTo(
                "/state/keyvalues/word-count/all?limit=5&after=gr%C3%BC%C3%9Fe&strict=true");
    }

    @Test
    void shouldCloseAPartThatOpensAfterTheMerge() {
        Exchange exchange = gathering(request(false, null, null));
        Gather gather = exchange.getProperty(Headers.GATHER, Gather.class);
        gather.parts().seal();
        boolean[] closed = {false};
        EntrySource late = new EntrySource() {
            public KeyValueBean peek() {
                return null;
            }

            public KeyValueBean next() {
                throw new java.util.NoSuchElementException();
            }

            public void close() {
                closed[0] = true;
            }
        };

        assertThat(gather.parts().add(new StorePart("wc-1:8080", late, Set.of(1)))).isFalse();
        assertThat(closed[0]).as("the caller closes it; here the add says so").isFalse();
    }

    /** A gather over partitions 0..2: this instance holds partition 0 (one key, "z"). */
    private Exchange gathering(RangeRequest request) {
        StorePart local = new StorePart("wc-0:8080", EntrySource.of(List.of(new KeyValueBean("z", 26))), Set.of(0));
        Gather gather = new Gather(request, List.of(PEER_A, PEER_B), Set.of(0, 1, 2), new StoreParts(local));
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Headers.GATHER, gather);
        return exchange;
    }

    private static void add(Exchange exchange, HostInfo peer, Set<Integer> partitions, KeyValueBean... entries) {
        exchange.getProperty(Headers.GATHER, Gather.class).parts()
                .add(new StorePart(RecipientPlanner.address(peer), EntrySource.of(List.of(entries)), partitions));
    }

    private static RangeRequest request(boolean strict, Integer limit, String after) {
        return new RangeRequest("word-count", null, null, strict, limit, after, "/state/keyvalues/word-count/all", null, false);
    }

    private static KeyValueBean entry(String key, long value) {
        return new KeyValueBean(key, value);
    }

    private static String body(Streamed streamed) throws IOException {
        return new String(streamed.body().readAllBytes(), StandardCharsets.UTF_8);
    }

}
