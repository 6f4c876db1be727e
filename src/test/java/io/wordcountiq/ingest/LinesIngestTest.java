package io.wordcountiq.ingest;

import io.wordcountiq.http.Replies;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.IdempotencyKey;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.RequestBody;
import io.wordcountiq.wire.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks of POST /lines that need no broker: who may write, in which form, and what the lines are. */
class LinesIngestTest {

    private static final Replies REPLIES = new Replies("wc-0:8080", "", new Tokens(List.of("s")));
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private final LinesIngest ingest = ingest("secret", false);

    @Test
    void shouldRefuseLinesOnAnObserver() {
        assertStatus(() -> ingest("", true).admit(request("text/plain", "hello", null)), 405);
    }

    @Test
    void shouldRequireTheIngestTokenWhenOneIsSet() {
        assertStatus(() -> ingest.admit(request("text/plain", "hello", null)), 401);
        assertStatus(() -> ingest.admit(request("text/plain", "hello", "Bearer wrong")), 401);
        ingest.admit(request("text/plain", "hello", " Bearer secret "));
        ingest("", false).admit(request("text/plain", "hello", null));
    }

    @Test
    void shouldTakePlainTextOnly() {
        assertStatus(() -> ingest.admit(request("application/json", "{}", "Bearer secret")), 415);
        assertStatus(() -> ingest.admit(request(null, "hello", "Bearer secret")), 415);
        ingest.admit(request("Text/Plain; charset=utf-8", "hello", "Bearer secret"));
    }

    @Test
    void shouldRefuseAMissingOrTooLargeBodyBeforeReadingIt() {
        Exchange none = request("text/plain", "hello", "Bearer secret");
        none.getMessage().setBody(null);
        assertStatus(() -> ingest.admit(none), 400);
        assertStatus(() -> ingest.admit(request("text/plain", "x".repeat(1025), "Bearer secret")), 413);
    }

    @Test
    void shouldKeepAValidIdempotencyKeyUnquotedAndRefuseAnInvalidOne() {
        Exchange quoted = request("text/plain", "hello", "Bearer secret");
        quoted.getMessage().setHeader(Headers.IDEMPOTENCY_KEY, "\"order-17\"");
        ingest.admit(quoted);
        assertThat(quoted.getProperty(ExchangeProperties.IDEMPOTENCY)).isEqualTo("order-17");

        Exchange invalid = request("text/plain", "hello", "Bearer secret");
        invalid.getMessage().setHeader(Headers.IDEMPOTENCY_KEY, "has space");
        assertStatus(() -> ingest.admit(invalid), 400);
        assertThat(invalid.getProperty(ExchangeProperties.IDEMPOTENCY)).isNull();
    }

    @Test
    void shouldSplitTheBodyIntoItsNonEmptyLines() {
        assertThat(ingest.lines("one two\r\n\n  \nthree\n".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("one two", "three");
        assertStatus(() -> ingest.lines(new byte[0]), 400);
        assertStatus(() -> ingest.lines("\n \n".getBytes(StandardCharsets.UTF_8)), 400);
        assertStatus(() -> ingest.lines(new byte[] {(byte) 0xC3, (byte) 0x28}), 400);
    }

    @Test
    void shouldRefuseALineWithAWordLongerThanAKeyMayBe() {
        assertThatThrownBy(() -> ingest.lines(("fine\nok " + "w".repeat(41)).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ApiError.class).hasMessageContaining("line 2").hasMessageContaining("41 characters");
    }

    @Test
    void shouldRefuseAnIdempotencyKeyFirstUsedWithAnotherBodyAndMarkARepeat() {
        long hash = LinesIngest.bodyHash("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(hash).isEqualTo(LinesIngest.bodyHash("hello".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(LinesIngest.bodyHash("hullo".getBytes(StandardCharsets.UTF_8)));

        Exchange other = firstAttempt(hash, "[{\"key\":\"k\",\"value\":" + (hash + 1) + "}]");
        assertStatus(() -> ingest.checkFirstAttempt(other), 422);

        Exchange repeat = firstAttempt(hash, "[{\"key\":\"k\",\"value\":" + hash + "}]");
        assertThat(ingest.checkFirstAttempt(repeat).lines()).containsExactly("hello");
        assertThat(repeat.getProperty(ExchangeProperties.REPEAT)).isEqualTo(true);

        Exchange first = firstAttempt(hash, "[]");
        ingest.checkFirstAttempt(first);
        assertThat(first.getProperty(ExchangeProperties.REPEAT)).as("nothing remembered: a first attempt").isNull();
    }

    private Exchange firstAttempt(long hash, String found) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(new LinesToWrite(List.of("hello"), ConsistencyToken.NONE, null,
                new IdempotencyKey("k", hash)));
        ingest.firstAttemptQuery(exchange);
        exchange.getMessage().setBody(QueryResult.Found.of(found));
        return exchange;
    }

    private static LinesIngest ingest(String token, boolean observer) {
        return new LinesIngest(1024, 40, REPLIES, new Tokens(List.of("s")), token, observer, 60_000);
    }

    private static Exchange request(String contentType, String body, String authorization) {
        Exchange exchange = new DefaultExchange(CAMEL);
        if (contentType != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        if (authorization != null) {
            exchange.getMessage().setHeader("Authorization", authorization);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getMessage().setBody(new RequestBody() {
            @Override
            public long declaredLength() {
                return bytes.length;
            }

            @Override
            public CompletionStage<byte[]> read(int maxBytes) {
                return CompletableFuture.completedFuture(bytes);
            }
        });
        return exchange;
    }

    private static void assertStatus(Executable call, int status) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(status));
    }
}
