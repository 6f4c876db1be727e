package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The raw query string decoded once: a parameter given twice, or not valid percent-encoding, is a 400. */
class QueryStringTest {

    @Test
    void shouldDecodeNamesAndValues() {
        QueryString query = QueryString.parse("limit=10&after=gr%C3%BC%C3%9Fe&q%20x=a+b&strict=true");

        assertThat(query.get("limit")).isEqualTo("10");
        assertThat(query.get("after")).isEqualTo("grüße");
        assertThat(query.get("q x")).as("a form-encoded '+' is a space").isEqualTo("a b");
        assertThat(query.get("strict")).isEqualTo("true");
        assertThat(query.get("missing")).isNull();
        assertThat(query.has("missing")).isFalse();
    }

    @Test
    void shouldTakeAParameterWithoutAValueAsEmpty() {
        QueryString query = QueryString.parse("strict&limit=");

        assertThat(query.has("strict")).isTrue();
        assertThat(query.get("strict")).isEmpty();
        assertThat(query.get("limit")).isEmpty();
    }

    @Test
    void shouldKeepEverythingAfterTheFirstEqualsSign() {
        assertThat(QueryString.parse("token=t1.abc=.def==").get("token")).isEqualTo("t1.abc=.def==");
        assertThat(QueryString.parse("after=%3D%26%3F").get("after")).isEqualTo("=&?");
    }

    @Test
    void shouldHaveNoParametersForNoQuery() {
        for (String none : new String[] {null, "", "&", "&&"}) {
            QueryString query = QueryString.parse(none);
            assertThat(query.has("")).as(String.valueOf(none)).isFalse();
            assertThat(query.get("limit")).isNull();
        }
        assertThat(QueryString.parse("&limit=3&").get("limit")).as("empty pairs are skipped").isEqualTo("3");
    }

    @Test
    void shouldRefuseAParameterGivenTwiceEvenWithTheSameValueOrSpelledDifferently() {
        assertBadRequest("limit=1&limit=2", "limit");
        assertBadRequest("strict=true&strict=true", "strict");
        assertBadRequest("after=a&%61fter=b", "after");
        assertBadRequest("strict&strict=", "strict");
    }

    @Test
    void shouldRefuseUndecodablePercentEncoding() {
        assertBadRequest("after=%", "percent-encoding");
        assertBadRequest("after=%zz", "percent-encoding");
        assertBadRequest("after=abc%4", "percent-encoding");
        assertBadRequest("%g1=x", "percent-encoding");
    }

    @Test
    void shouldTellParametersApartByExactName() {
        QueryString query = QueryString.parse("Limit=5&token=x");

        assertThat(query.has("limit")).as("names are case-sensitive").isFalse();
        assertThat(query.get("Limit")).isEqualTo("5");
    }

    private static void assertBadRequest(String raw, String mention) {
        assertThatThrownBy(() -> QueryString.parse(raw)).as(raw).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(mention);
        });
    }
}
