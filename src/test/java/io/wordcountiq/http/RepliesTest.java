package io.wordcountiq.http;

import io.wordcountiq.forward.ForwardWalk;
import io.wordcountiq.forward.WalkAnswer;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.wire.Tokens;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every result and every failure becomes one HTTP answer: status, JSON body, and only the API's headers. */
class RepliesTest {

    private final Tokens tokens = new Tokens(List.of("replies-test-secret"));
    private final Replies replies = new Replies("wc-0:8080", "", tokens);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldAnswerAFoundValueWith200AndSayWhenAStandbyAnswered() {
        Exchange fresh = written(new Found("{\"key\":\"a\",\"value\":1}", Copy.ACTIVE));
        Exchange stale = written(new Found("{\"key\":\"a\",\"value\":1}", Copy.standby(3L)));

        assertThat(fresh.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE,
                Headers.SERVED_BY, Headers.COPY);
        assertThat(fresh.getMessage().getHeader(Headers.COPY)).isEqualTo("active");
        assertThat(fresh.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(fresh.getMessage().getHeader(Headers.SERVED_BY)).isEqualTo("wc-0:8080");
        assertThat(fresh.getMessage().getBody()).isEqualTo("{\"key\":\"a\",\"value\":1}");
        assertThat(stale.getMessage().getHeader(Headers.STALE)).isEqualTo("true");
        assertThat(stale.getMessage().getHeader(Headers.COPY)).isEqualTo("standby");
        assertThat(stale.getMessage().getHeader(Headers.LAG)).isEqualTo("3");
    }

    @Test
    void shouldNameWhatIsMissingFromAPartialAnswerAndWhatAPeersPartCovers() {
        Exchange partial = written(new Streamed(new ListEntriesBody(), List.of("wc-1:8080", "partition-3"), null,
                ConsistencyToken.NONE, null));
        Exchange part = written(new Streamed(new ListEntriesBody(), null, new java.util.TreeSet<>(Set.of(0, 2)),
                ConsistencyToken.NONE, null));
        Exchange fromStandbys = written(new Streamed(new ListEntriesBody(), null, null, ConsistencyToken.NONE, 3L));
        assertThat(fromStandbys.getMessage().getHeader(Headers.STALE)).isEqualTo("true");
        assertThat(fromStandbys.getMessage().getHeader(Headers.LAG)).isEqualTo("3");
        assertThat(partial.getMessage().getHeader(Headers.STALE)).isNull();

        assertThat(partial.getMessage().getHeader(Headers.MISSING)).isEqualTo("wc-1:8080,partition-3");
        assertThat(part.getMessage().getHeader(Headers.PARTITIONS)).isEqualTo("0,2");
    }

    @Test
    void shouldAnswerAbsentWith404AndUnavailableWith503AndRetryAfter() {
        Exchange absent = written(new Absent("nosuch", Copy.ACTIVE));
        Exchange unavailable = written(new Unavailable("Kafka Streams is REBALANCING"));

        assertThat(absent.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(absent.getMessage().getBody()).isEqualTo("{\"status\":404,\"error\":\"word 'nosuch' not found\"}");
        assertThat(absent.getMessage().getHeader(Headers.COPY)).as("a peer tells whether its 404 is authoritative").isEqualTo("active");
        assertThat(unavailable.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(unavailable.getMessage().getHeader(Headers.RETRY_AFTER)).isEqualTo("1");
        assertThat(unavailable.getMessage().getBody()).isEqualTo("{\"status\":503,\"error\":\"Kafka Streams is REBALANCING\"}");
    }

    @Test
    void shouldAnswer421WhenAPeerAsksForAKeyThisInstanceHoldsNoCopyOf() {
        Exchange notHosted = written(new QueryResult.NotHosted("wc-0:8080"));

        assertThat(notHosted.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(421);
        assertThat(notHosted.getMessage().getHeaders()).doesNotContainKey(Headers.COPY);
    }

    @Test
    void shouldRefuseToAnswerAStepThatIsNoAnswer() {
        QueryResult notLocal = new QueryResult.NotLocal(new io.wordcountiq.model.StoreRequest.KeyRequest("word-count", "a"),
                null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> written(notLocal))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("instead of an answer");
    }

    @Test
    void shouldRelayAnotherInstancesAnswerWithItsHeaders() {
        Exchange relayed = written(new Relayed(503, "{\"status\":503}", Map.of("Content-Type", "application/json", Headers.SERVED_BY, "wc-1:8080", Headers.RETRY_AFTER, "1")));

        assertThat(relayed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(relayed.getMessage().getHeader(Headers.SERVED_BY)).isEqualTo("wc-1:8080");
        assertThat(relayed.getMessage().getHeader(Headers.RETRY_AFTER)).isEqualTo("1");
        assertThat(relayed.getMessage().getHeaders()).doesNotContainKey(Headers.STALE);
    }

    @Test
    void shouldPutAnErrorsDetailsIntoItsBody() {
        Exchange failed = written(new Failed(new ApiError(504, "no instance answered in time", 1,
                Map.of("tried", List.of(WalkAnswer.describe(new ForwardWalk.Tried("wc-1:8080", ForwardWalk.Result.TIMEOUT, null)))))));

        assertThat(failed.getMessage().getBody()).isEqualTo(
                "{\"status\":504,\"error\":\"no instance answered in time\",\"tried\":[{\"host\":\"wc-1:8080\",\"result\":\"timeout\"}]}");
    }

    @Test
    void shouldMapWhatWasThrownToAStatusWithoutLeakingItsText() {
        assertThat(failure(ApiError.badRequest("from must not be after to"))).containsEntry(Exchange.HTTP_RESPONSE_CODE, 400);
        assertThat(failure(new RejectedExecutionException())).containsEntry(Exchange.HTTP_RESPONSE_CODE, 503).containsKey(Headers.RETRY_AFTER);
        assertThat(failure(new IOException("peer reset"))).containsEntry(Exchange.HTTP_RESPONSE_CODE, 503);
        assertThat(failure(new InvalidStateStoreException("moved"))).containsEntry(Exchange.HTTP_RESPONSE_CODE, 503);
        Exchange bug = new DefaultExchange(camel);
        bug.setProperty(Exchange.EXCEPTION_CAUGHT, new NullPointerException("secret detail"));
        replies.failure(bug);
        assertThat(bug.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(bug.getMessage().getBody()).isEqualTo("{\"status\":500,\"error\":\"internal error\"}");
    }

    @Test
    void shouldAnswerAcceptedLinesWith202AndTheTokenThatCoversThem() {
        Exchange exchange = new DefaultExchange(camel);
        ConsistencyToken written = ConsistencyToken.written(Map.of(0, 7L, 2, 3L), Set.of(1, 3));
        replies.accepted(exchange, 3, written);

        String token = exchange.getMessage().getHeader(Headers.TOKEN, String.class);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        assertThat(exchange.getMessage().getBody()).isEqualTo("{\"accepted\":3,\"token\":\"" + token + "\"}");
        assertThat(tokens.decode(token)).isEqualTo(written);
    }

    @Test
    void shouldCarryWhatAnAnswerReflectsInItsTokenAndInTheNextPagesLink() {
        ConsistencyToken seen = new ConsistencyToken(Map.of(1, 10L), Set.of(0), Map.of(1, 42L));
        Exchange found = written(new Found("{\"key\":\"a\",\"value\":1}", Copy.ACTIVE, seen));
        Exchange page = written(new Page("[]", "/state/keyvalues/word-count/all?limit=2&after=b", seen));
        Exchange plain = written(new Found("{\"key\":\"a\",\"value\":1}", Copy.ACTIVE));

        assertThat(tokens.decode(found.getMessage().getHeader(Headers.TOKEN, String.class))).isEqualTo(seen);
        String link = page.getMessage().getHeader("Link", String.class);
        assertThat(link).startsWith("</state/keyvalues/word-count/all?limit=2&after=b&token=t1.").endsWith(">; rel=\"next\"");
        String linked = link.substring(link.indexOf("token=") + "token=".length(), link.indexOf('>'));
        assertThat(tokens.decode(linked)).isEqualTo(seen);
        assertThat(plain.getMessage().getHeaders()).doesNotContainKey(Headers.TOKEN);
    }

    private Exchange written(QueryResult result) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("key", "from-the-path");
        exchange.getMessage().setBody(result);
        replies.write(exchange);
        return exchange;
    }

    private Map<String, Object> failure(Exception e) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        replies.failure(exchange);
        return exchange.getMessage().getHeaders();
    }

    /** An empty streamed body. */
    private static final class ListEntriesBody implements io.wordcountiq.model.AsyncBody {
        @Override
        public void next(Sink sink) {
            sink.end();
        }

        @Override
        public void cancel() {
        }
    }
}
