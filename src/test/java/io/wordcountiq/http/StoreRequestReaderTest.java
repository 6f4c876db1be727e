package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.StoreRequest;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.streams.Names;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An HTTP request becomes one typed, validated StoreRequest: bad input is a 4xx before any store is touched, and
 * control values come only from where they are defined (the forward mark and the hop count from headers, query
 * parameters from the raw query string), never from a namesake elsewhere.
 */
class StoreRequestReaderTest {

    private static final String SELF = "wc-0:8080";
    private static final Long DEFAULT_MAX_LAG = 1_000L;

    private final Tokens tokens = new Tokens(List.of("shared-secret"));
    private final ForwardMarker peer = new ForwardMarker("shared-secret", "wc-1:8080");
    private final StoreRequestReader reader = new StoreRequestReader(new RequestValidator(16),
            new ForwardMarker("shared-secret", SELF), tokens, 100, DEFAULT_MAX_LAG);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldReadAKeyLookupFromItsPathParameters() {
        KeyRequest request = reader.keyValue(get(Map.of("store", "word-count", "key", "grüße"), null));

        assertThat(request).isEqualTo(new KeyRequest("word-count", "grüße", false, ConsistencyToken.NONE, DEFAULT_MAX_LAG));
    }

    @Test
    void shouldRefuseUnknownStoresStoresOfTheWrongTypeAndBadKeys() {
        assertStatus(404, () -> reader.keyValue(get(Map.of("store", "nope", "key", "a"), null)));
        assertStatus(404, () -> reader.keyValue(get(Map.of("key", "a"), null)));
        assertStatus(400, () -> reader.keyValue(get(Map.of("store", "windowed-word-count", "key", "a"), null)));
        assertStatus(400, () -> reader.keyValue(get(Map.of("store", "word-count", "key", ".."), null)));
        assertStatus(400, () -> reader.keyValue(get(Map.of("store", "word-count"), null)));
        assertStatus(414, () -> reader.keyValue(get(Map.of("store", "word-count", "key", "x".repeat(17)), null)));
        assertStatus(400, () -> reader.all(get(Map.of("store", "windowed-word-count"), null)));
        assertStatus(400, () -> reader.windowed(get(Map.of("store", "word-count", "key", "a", "from", "0", "to", "1"), null)));
    }

    @Test
    void shouldTakeMaxLagFromTheQueryOrTheDefaultOnlyWhenTheRequestStatesNoFreshness() {
        Map<String, Object> key = Map.of("store", "word-count", "key", "a");
        ConsistencyToken token = ConsistencyToken.written(Map.of(0, 3L), Set.of(1));

        assertThat(reader.keyValue(get(key, "maxLag=0")).maxLag()).isZero();
        assertThat(reader.keyValue(get(key, "maxLag=25")).maxLag()).isEqualTo(25L);
        assertThat(reader.keyValue(get(key, null)).maxLag()).isEqualTo(DEFAULT_MAX_LAG);
        assertThat(reader.keyValue(get(with(key, Headers.TOKEN, tokens.encode(token)), null)).maxLag())
                .as("a token states freshness itself").isNull();
        assertThat(reader.keyValue(get(with(key, "maxLag", "7"), null)).maxLag()).as("a header is no query parameter")
                .isEqualTo(DEFAULT_MAX_LAG);
        for (String bad : List.of("maxLag=", "maxLag=-1", "maxLag=1e3", "maxLag=%201", "maxLag=1234567890123456789")) {
            assertStatus(400, () -> reader.keyValue(get(key, bad)));
        }
    }

    @Test
    void shouldMergeTheTokenOfTheHeaderAndOfTheQueryAndRefuseOneNotIssuedHere() {
        Map<String, Object> key = Map.of("store", "word-count", "key", "a");
        ConsistencyToken written = ConsistencyToken.written(Map.of(0, 3L), Set.of(1));
        ConsistencyToken seen = new ConsistencyToken(Map.of(), Set.of(), Map.of(2, 9L));

        KeyRequest request = reader.keyValue(get(with(key, Headers.TOKEN, tokens.encode(written)),
                "token=" + tokens.encode(seen)));

        assertThat(request.token()).isEqualTo(written.merge(seen));
        String foreign = new Tokens(List.of("another-secret")).encode(written);
        assertStatus(400, () -> reader.keyValue(get(with(key, Headers.TOKEN, foreign), null)));
        assertStatus(400, () -> reader.keyValue(get(key, "token=" + foreign)));
    }

    @Test
    void shouldIgnoreControlValuesPutInTheQueryString() {
        Map<String, Object> key = Map.of("store", "word-count", "key", "a");
        String query = "X-IQ-Hops=1&X-IQ-Token=" + tokens.encode(ConsistencyToken.written(Map.of(0, 3L), Set.of(1)))
                + "&X-IQ-Forwarded=" + mark(new KeyRequest("word-count", "a", false, ConsistencyToken.NONE, DEFAULT_MAX_LAG));

        KeyRequest request = reader.keyValue(get(key, query));

        assertThat(request.localOnly()).as("no mark from the query").isFalse();
        assertThat(request.token()).as("no token from a query parameter named like the header").isEqualTo(ConsistencyToken.NONE);
    }

    @Test
    void shouldAnswerLocallyARequestAPeerMarkedForThisVeryRequest() {
        KeyRequest expected = new KeyRequest("word-count", "a b", false, ConsistencyToken.NONE, 5L);
        Map<String, Object> key = Map.of("store", "word-count", "key", "a b", Headers.HOPS, "1");

        KeyRequest request = reader.keyValue(get(with(key, Headers.FORWARDED, mark(expected)), "maxLag=5"));

        assertThat(request).isEqualTo(expected.asLocalOnly());
        assertStatus(403, () -> reader.keyValue(get(with(key, Headers.FORWARDED, mark(expected)), "maxLag=6")));
    }

    @Test
    void shouldRefuseAHopWithoutAValidMarkAndIgnoreAClientsBadMark() {
        Map<String, Object> key = Map.of("store", "word-count", "key", "a");
        KeyRequest other = new KeyRequest("word-count", "b", false, ConsistencyToken.NONE, DEFAULT_MAX_LAG);

        assertStatus(403, () -> reader.keyValue(get(with(key, Headers.HOPS, "1"), null)));
        assertStatus(403, () -> reader.keyValue(get(with(with(key, Headers.HOPS, "1"), Headers.FORWARDED, mark(other)), null)));
        assertThat(reader.keyValue(get(with(key, Headers.FORWARDED, "v3.garbage"), null)).localOnly())
                .as("a client's mark without a hop count is ignored").isFalse();
    }

    @Test
    void shouldTakeAMarkOnlyOnce() {
        KeyRequest expected = new KeyRequest("word-count", "a", false, ConsistencyToken.NONE, DEFAULT_MAX_LAG);
        Map<String, Object> marked = with(with(Map.of("store", "word-count", "key", "a"), Headers.HOPS, "1"),
                Headers.FORWARDED, mark(expected));

        assertThat(reader.keyValue(get(marked, null)).localOnly()).isTrue();
        assertStatus(403, () -> reader.keyValue(get(marked, null)));
    }

    @Test
    void shouldReadAWindowedLookupAndRefuseBadBounds() {
        Map<String, Object> path = Map.of("store", "windowed-word-count", "key", "a", "from", "10", "to", "20");

        WindowRequest request = reader.windowed(get(path, "maxLag=3"));

        assertThat(request).isEqualTo(new WindowRequest("windowed-word-count", "a", 10, 20, false, ConsistencyToken.NONE, 3L));
        assertStatus(400, () -> reader.windowed(get(with(path, "from", "21"), null)));
        assertStatus(400, () -> reader.windowed(get(with(path, "to", "-1"), null)));
        assertStatus(400, () -> reader.windowed(get(with(path, "from", "x"), null)));
    }

    @Test
    void shouldLetOnlyPeersAskTheStoreOfIdempotencyKeys() {
        Map<String, Object> path = Map.of("store", Names.IDEMPOTENCY_STORE, "key", "req-1", "from", "0", "to", "5");
        WindowRequest expected = new WindowRequest(Names.IDEMPOTENCY_STORE, "req-1", 0, 5, false, ConsistencyToken.NONE,
                DEFAULT_MAX_LAG);

        assertStatus(404, () -> reader.windowed(get(path, null)));
        WindowRequest marked = reader.windowed(get(with(with(path, Headers.HOPS, "1"), Headers.FORWARDED, mark(expected)), null));
        assertThat(marked).isEqualTo(expected.asLocalOnly());
    }

    @Test
    void shouldReadPagesOfAllAndRangeFromTheQueryString() {
        RangeRequest all = reader.all(get(Map.of("store", "word-count"), "limit=10&after=k&strict=TRUE"));

        assertThat(all).isEqualTo(new RangeRequest("word-count", null, null, true, 10, "k", false, ConsistencyToken.NONE,
                DEFAULT_MAX_LAG, null));
        RangeRequest range = reader.range(get(Map.of("store", "word-count", "from", "a", "to", "m"), null));
        assertThat(range.from()).isEqualTo("a");
        assertThat(range.to()).isEqualTo("m");
        assertThat(range.paged()).isFalse();
        assertThat(range.strict()).isFalse();
        assertThat(reader.all(get(Map.of("store", "word-count", "limit", "10", "strict", "true"), null)))
                .as("headers named like query parameters count for nothing")
                .satisfies(r -> assertThat(r.paged()).isFalse(), r -> assertThat(r.strict()).isFalse());
    }

    @Test
    void shouldRefuseBadPagesAndRanges() {
        Map<String, Object> store = Map.of("store", "word-count");

        for (String bad : List.of("limit=0", "limit=101", "limit=", "limit=ten", "after=k", "limit=5&after=",
                "limit=1&limit=2", "after=%zz&limit=1")) {
            assertStatus(400, () -> reader.all(get(store, bad)));
        }
        assertStatus(400, () -> reader.range(get(Map.of("store", "word-count", "from", "z", "to", "a"), null)));
        assertThat(reader.all(get(store, "limit=100")).limit()).isEqualTo(100);
    }

    @Test
    void shouldTakePartitionsOnlyFromAPeer() {
        Map<String, Object> store = Map.of("store", "word-count");
        RangeRequest part = new RangeRequest("word-count", null, null, false, null, null, false, ConsistencyToken.NONE,
                DEFAULT_MAX_LAG, Set.of(1, 3));

        assertStatus(400, () -> reader.all(get(store, "partitions=1,3")));
        RangeRequest marked = reader.all(get(with(with(store, Headers.HOPS, "1"), Headers.FORWARDED, mark(part)),
                "maxLag=" + DEFAULT_MAX_LAG + "&partitions=1,3"));
        assertThat(marked.localOnly()).isTrue();
        assertThat(marked.partitions()).containsExactly(1, 3);
        for (String bad : List.of("partitions=", "partitions=1,x", "partitions=-1", "partitions=1,,2")) {
            assertStatus(400, () -> reader.all(get(store, bad)));
        }
    }

    private String mark(StoreRequest request) {
        return peer.sign(SELF, "GET", request.path(), request.hopQuery(), System.currentTimeMillis());
    }

    private Exchange get(Map<String, Object> headers, String rawQuery) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(headers));
        if (rawQuery != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RAW_QUERY, rawQuery);
        }
        return exchange;
    }

    private static Map<String, Object> with(Map<String, Object> headers, String name, Object value) {
        Map<String, Object> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return more;
    }

    private static void assertStatus(int status, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(status));
    }
}
