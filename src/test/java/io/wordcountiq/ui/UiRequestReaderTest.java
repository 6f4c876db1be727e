package io.wordcountiq.ui;

import io.wordcountiq.http.RequestValidator;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.PathSegments;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.UiRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a request under /ui asks for, and the errors it gets instead. */
class UiRequestReaderTest {

    private final UiRequestReader requests = new UiRequestReader(new RequestValidator(16), new UiFiles());

    @Test
    void shouldServeThePageItsFilesAndItsTwoEndpoints() {
        assertThat(requests.classify("GET", "/ui/", null)).isEqualTo(new UiRequest.StaticFile("index.html"));
        assertThat(requests.classify("HEAD", "/ui/ui.js", null)).isEqualTo(new UiRequest.StaticFile("ui.js"));
        assertThat(requests.classify("GET", "/ui/api/cluster", "x=1")).isEqualTo(new UiRequest.ClusterView());
        assertThat(requests.classify("GET", "/ui/api/lookup", "key=alice")).isEqualTo(new UiRequest.Lookup(
                new KeyRequest("word-count", "alice")));
    }

    @Test
    void shouldSendSlashlessUiToThePageWithItsQuery() {
        assertThat(requests.classify("GET", "/ui", null)).isEqualTo(new UiRequest.Redirect("/ui/"));
        assertThat(requests.classify("GET", "/ui", "key=a%20b")).isEqualTo(new UiRequest.Redirect("/ui/?key=a%20b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
    void shouldAllowOnlyGetAndHead(String method) {
        assertThatThrownBy(() -> requests.classify(method, "/ui/api/cluster", null)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(405);
            assertThat(e.headers()).containsEntry("Allow", "GET, HEAD");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/uix", "/ui/nosuch.js", "/ui/api/", "/ui/api/other", "/ui/api/cluster/", "/ui/..", "/ui/index"})
    void shouldAnswer404ForAnythingElse(String path) {
        assertThatThrownBy(() -> requests.classify("GET", path, null)).as(path)
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void shouldRefuseAMissingEmptyOrBadKeyWith4xx() {
        assertThat(status(null)).isEqualTo(400);
        assertThat(status("other=1")).isEqualTo(400);
        assertThat(status("key=")).isEqualTo(400);
        assertThat(status("key=a&key=b")).isEqualTo(400);
        assertThat(status("key=%ZZ")).isEqualTo(400);
        assertThat(status("key=a%01b")).isEqualTo(400);
        assertThat(status("key=..")).isEqualTo(400);
        assertThat(status("key=" + "x".repeat(17))).isEqualTo(414);
    }

    @Test
    void shouldWriteTheKeyIntoThePathAsTheServerNormalisesIt() {
        assertThat(PathSegments.encode("a-Z_0.~")).isEqualTo("a-Z_0.~");
        assertThat(PathSegments.encode("café au/lait?#%+")).isEqualTo("caf%C3%A9%20au%2Flait%3F%23%25%2B");
        KeyRequest lookup = ((UiRequest.Lookup) requests.classify("GET", "/ui/api/lookup", "key=caf%C3%A9")).request();
        assertThat(lookup).isEqualTo(new KeyRequest("word-count", "café"));
        assertThat(lookup.path()).isEqualTo("/state/keyvalue/word-count/caf%C3%A9");
    }

    private int status(String query) {
        try {
            requests.classify("GET", "/ui/api/lookup", query);
            return 200;
        } catch (ApiError e) {
            return e.status();
        }
    }
}
