package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.Headers;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Collecting the peers' parts and merging them: complete, partial (X-IQ-Missing), strict. */
class ScatterGatherTest {

    private static final HostInfo PEER_A = new HostInfo("wc-1", 8080);
    private static final HostInfo PEER_B = new HostInfo("wc-2", 8080);

    private final ScatterGather scatterGather = new ScatterGather(null, null, new ForwardMarker("s"), "http", 2_000, 2);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldMergeEveryPartIntoOneSortedAnswer() {
        Exchange exchange = gathering(false);
        scatterGather.aggregate(null, peerReply(exchange, PEER_A, 200, "[{\"key\":\"b\",\"value\":2}]", "1"));
        scatterGather.aggregate(exchange, peerReply(exchange, PEER_B, 200, "[{\"key\":\"a\",\"value\":1},{\"key\":\"c\",\"value\":3}]", "2"));

        QueryResult result = scatterGather.merge(exchange);

        assertThat(result).isEqualTo(new Found("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2},"
                + "{\"key\":\"c\",\"value\":3},{\"key\":\"z\",\"value\":26}]", null, null, null));
    }

    @Test
    void shouldLeaveAFailedOrUnreadablePeerOutAndNameItAsMissing() {
        Exchange exchange = gathering(false);
        Exchange refused = peerReply(exchange, PEER_A, 0, null, null);
        refused.setException(new ConnectException("refused"));
        Exchange kept = scatterGather.aggregate(null, refused);
        scatterGather.aggregate(kept, peerReply(exchange, PEER_B, 200, "{\"status\":500}", "2"));

        assertThat(kept.getException()).as("a peer's failure is not the request's failure").isNull();
        Found found = (Found) scatterGather.merge(exchange);
        assertThat(found.json()).isEqualTo("[{\"key\":\"z\",\"value\":26}]");
        assertThat(found.missing()).containsExactly("wc-1:8080", "wc-2:8080", "partition-1", "partition-2");
    }

    @Test
    void shouldRefuseAPartialAnswerWhenStrict() {
        Exchange exchange = gathering(true);
        scatterGather.aggregate(null, peerReply(exchange, PEER_A, 200, "[]", "1"));

        Failed failed = (Failed) scatterGather.merge(exchange);

        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().retryAfterSeconds()).isEqualTo(1);
        assertThat(failed.error().details()).isEqualTo(Map.of("missingInstances", List.of("wc-2:8080"),
                "missingPartitions", Set.of(2)));
    }

    @Test
    void shouldCountAPeerThatAnsweredWithoutAllItsPartitionsAsMissingThosePartitions() {
        Exchange exchange = gathering(false);
        scatterGather.aggregate(null, peerReply(exchange, PEER_A, 200, "[]", "1"));
        scatterGather.aggregate(exchange, peerReply(exchange, PEER_B, 200, "[]", ""));

        assertThat(((Found) scatterGather.merge(exchange)).missing()).containsExactly("partition-2");
    }

    /** A gather over partitions 0..2: this instance holds partition 0 (one key, "z"), each peer one more. */
    private Exchange gathering(boolean strict) {
        RangeRequest request = new RangeRequest("word-count", null, null, strict, "/state/keyvalues/word-count/all", null, false);
        Gather gather = new Gather(request, List.of(PEER_A, PEER_B), List.of(), Set.of(0, 1, 2),
                CompletableFuture.completedFuture(new StorePart("wc-0:8080", List.of(new KeyValueBean("z", 26)), Set.of(0))));
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Headers.GATHER, gather);
        return exchange;
    }

    /** The copy of the exchange the recipient list sent to one peer, with that peer's reply. */
    private static Exchange peerReply(Exchange original, HostInfo peer, int status, String body, String partitions) {
        Exchange copy = original.copy();
        copy.setProperty(Exchange.RECIPIENT_LIST_ENDPOINT, "http://" + RecipientPlanner.address(peer) + "?httpMethod=GET");
        copy.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        copy.getMessage().setHeader(Headers.PARTITIONS, partitions);
        copy.getMessage().setBody(body == null ? null : body.getBytes());
        return copy;
    }
}
