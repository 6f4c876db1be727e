package io.wordcountiq.http;

import io.wordcountiq.http.Admission.Kind;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.RequestBody;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.model.UiRequest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each class of request has its own bound: past it a 503 at once, and a place is given back when its exchange ends. */
class AdmissionTest {

    private static final ConsistencyToken TOKEN = ConsistencyToken.written(Map.of(0, 5L), Set.of(1));

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldClassifyEveryKindOfRequest() {
        assertThat(Admission.kindOf(new KeyRequest("word-count", "a"))).isEqualTo(Kind.KEY_LOOKUPS);
        assertThat(Admission.kindOf(new KeyRequest("word-count", "a", false, TOKEN, null))).isEqualTo(Kind.TOKEN_WAITS);
        assertThat(Admission.kindOf(new WindowRequest("windowed-word-count", "a", 0, 1, false, ConsistencyToken.NONE, 5L)))
                .as("a maxLag alone never waits").isEqualTo(Kind.KEY_LOOKUPS);
        assertThat(Admission.kindOf(new WindowRequest("windowed-word-count", "a", 0, 1, true, TOKEN, null)))
                .isEqualTo(Kind.TOKEN_WAITS);
        assertThat(Admission.kindOf(range(10, false))).isEqualTo(Kind.PAGES);
        assertThat(Admission.kindOf(range(10, true))).as("a peer's page is a page too").isEqualTo(Kind.PAGES);
        assertThat(Admission.kindOf(range(null, false))).isEqualTo(Kind.WHOLE_STORE);
        assertThat(Admission.kindOf(range(null, true))).isEqualTo(Kind.PARTS);
        assertThat(Admission.kindOf(new UiRequest.ClusterView())).isEqualTo(Kind.UI);
        assertThat(Admission.kindOf(body())).isEqualTo(Kind.INGEST);
        assertThat(Admission.kindOf(null)).as("POST /lines before its body is typed").isEqualTo(Kind.INGEST);
    }

    @Test
    void shouldRefuseARequestOfNoKnownClass() {
        assertThatThrownBy(() -> Admission.kindOf("GET /state")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("String");
    }

    @Test
    void shouldNeedABoundForEveryClass() {
        Map<Kind, Integer> bounds = bounds(1);
        bounds.remove(Kind.UI);

        assertThatThrownBy(() -> new Admission(bounds)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UI");
    }

    @Test
    void shouldRefuseWith503AndRetryAfterPastTheBoundOfItsClassOnly() {
        Admission admission = admission(Kind.KEY_LOOKUPS, 2);

        admission.admit(exchange(new KeyRequest("word-count", "a")));
        admission.admit(exchange(new KeyRequest("word-count", "b")));

        assertThatThrownBy(() -> admission.admit(exchange(new KeyRequest("word-count", "c"))))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("key lookups");
                });
        assertThat(admission.inFlight(Kind.KEY_LOOKUPS)).as("a refused request holds no place").isEqualTo(2);
        assertThat(admission.refused(Kind.KEY_LOOKUPS)).isEqualTo(1);
        admission.admit(exchange(range(10, false)));
        assertThat(admission.inFlight(Kind.PAGES)).as("another class has its own bound").isEqualTo(1);
        assertThat(admission.refused(Kind.PAGES)).isZero();
    }

    @Test
    void shouldRefuseEveryRequestOfAClassWhoseBoundIsZero() {
        Admission admission = admission(Kind.WHOLE_STORE, 0);

        assertThatThrownBy(() -> admission.admit(exchange(range(null, false)))).isInstanceOf(ApiError.class);
        assertThat(admission.inFlight(Kind.WHOLE_STORE)).isZero();
    }

    @Test
    void shouldGiveThePlaceBackWhenTheExchangeIsDoneWhetherItSucceededOrFailed() {
        Admission admission = admission(Kind.INGEST, 1);

        Exchange failed = exchange(body());
        admission.admit(failed);
        assertThatThrownBy(() -> admission.admit(exchange(body()))).isInstanceOf(ApiError.class);
        failed.setException(new IllegalStateException("the client went away"));
        done(failed, false);
        assertThat(admission.inFlight(Kind.INGEST)).isZero();

        Exchange succeeded = exchange(body());
        admission.admit(succeeded);
        assertThat(admission.inFlight(Kind.INGEST)).isEqualTo(1);
        done(succeeded, true);
        assertThat(admission.inFlight(Kind.INGEST)).isZero();
        assertThat(admission.refused(Kind.INGEST)).isEqualTo(1);
    }

    @Test
    void shouldNameEachClassInItsMetricTag() {
        assertThat(Admission.tag(Kind.TOKEN_WAITS)).isEqualTo("token_waits");
        assertThat(Admission.tag(Kind.WHOLE_STORE)).isEqualTo("whole_store");
    }

    /** Runs what the exchange registered to run once it is done, as its unit of work does at the end. */
    private static void done(Exchange exchange, boolean succeeded) {
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        assertThat(completions).isNotEmpty();
        for (Synchronization completion : completions) {
            if (succeeded) {
                completion.onComplete(exchange);
            } else {
                completion.onFailure(exchange);
            }
        }
    }

    private Exchange exchange(Object request) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(request);
        return exchange;
    }

    /** Room for five of every class, and {@code bound} for this one. */
    private static Admission admission(Kind kind, int bound) {
        Map<Kind, Integer> bounds = bounds(5);
        bounds.put(kind, bound);
        return new Admission(bounds);
    }

    private static Map<Kind, Integer> bounds(int each) {
        Map<Kind, Integer> bounds = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            bounds.put(kind, each);
        }
        return bounds;
    }

    private static RangeRequest range(Integer limit, boolean localOnly) {
        return new RangeRequest("word-count", null, null, false, limit, null, localOnly);
    }

    private static RequestBody body() {
        return new RequestBody() {
            @Override
            public long declaredLength() {
                return 4;
            }

            @Override
            public CompletionStage<byte[]> read(int maxBytes) {
                return CompletableFuture.completedFuture(new byte[4]);
            }
        };
    }
}
