package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.RawHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page at /ui/ and its two endpoints, through the real routes/ui.camel.yaml and the real HTTP server. */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/ui-route-test-data", "http.port=18490", "management.port=18491", "routes.reload.interval.ms=0",
        "topic.partitions=2", "cluster.name=green", "ui.observers=localhost:1"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiRouteTest {

    static {
        FreshFolder.of("target/ui-route-test-data");
    }

    private static final String BASE = "http://localhost:18490";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();

    private boolean loaded;

    @BeforeEach
    void loadOnce() {
        if (loaded) {
            return;
        }
        loaded = true;
        Http.awaitReady(18491);
        Reply posted = Http.post(BASE + "/lines", "text/plain", "hello world\nhello");
        assertThat(posted.status()).isEqualTo(202);
        assertThat(Http.get(BASE + "/state/keyvalue/word-count/hello", "X-IQ-Token", posted.header("X-IQ-Token")).body())
                .isEqualTo("{\"key\":\"hello\",\"value\":2}");
    }

    @Test
    void shouldServeThePageWithItsSecurityHeadersAndNothingTheRequestSent() {
        Reply page = Http.get(BASE + "/ui/", "Content-Security-Policy", "default-src *", "Location", "http://evil.example/",
                "Cache-Control", "max-age=600");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("Location")).isNull();
        assertThat(page.header("Content-Length")).isEqualTo(Integer.toString(page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(page.body()).contains("<script src=\"ui.js\" defer></script>").doesNotContain("http://", "https://");
        assertThat(Http.get(BASE + "/ui/ui.js").header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(Http.get(BASE + "/ui/ui.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void shouldSendSlashlessUiToThePageKeepingTheQuery() {
        Reply redirect = Http.get(BASE + "/ui?key=hello");

        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/ui/?key=hello");
        assertThat(redirect.header("Content-Security-Policy")).isEqualTo(CSP);
    }

    /** Over HTTP/1.1, as browsers speak to a plain-HTTP port. */
    @Test
    void shouldAnswerHeadWithTheHeadersOnly() throws java.io.IOException {
        RawHttp.Response head = RawHttp.send(18490, RawHttp.request("HEAD", "/ui/ui.css", null, null, null));
        int length = Http.get(BASE + "/ui/ui.css").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.head()).contains("Content-Type: text/css; charset=utf-8", "X-Content-Type-Options: nosniff",
                "Content-Length: " + length);
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void shouldRefuseOtherMethodsWithA405AndAllow(String method) {
        Reply reply = Http.send(HttpRequest.newBuilder(URI.create(BASE + "/ui/api/cluster"))
                .method(method, HttpRequest.BodyPublishers.ofString("x")).header("Content-Type", "text/plain")
                .timeout(Duration.ofSeconds(15)).build());

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.body()).startsWith("{\"status\":405,\"error\":\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/nosuch.js", "/ui/.hidden.js", "/ui/application.properties", "/ui/api/nosuch", "/uix",
            "/ui/%2E%2E/log4j2.properties", "/ui/..%2Fapplication.properties"})
    void shouldAnswerAnythingElseWithAJson404(String path) {
        Reply reply = Http.get(BASE + path);

        assertThat(reply.status()).as(path).isEqualTo(404);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.body()).startsWith("{\"status\":404,\"error\":\"").doesNotContain("Exception", "\tat ");
    }

    @Test
    void shouldDescribeTheClusterWithThisInstanceReadyAndAnObserverThatCannotBeReached() throws Exception {
        Reply reply = Http.get(BASE + "/ui/api/cluster");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Security-Policy")).isEqualTo(CSP);
        JsonNode view = JSON.readTree(reply.body());
        assertThat(view.path("answeredBy").asText()).isEqualTo("localhost:18490");
        JsonNode green = view.path("clusters").get(0);
        assertThat(green.path("cluster").asText()).isEqualTo("green");
        JsonNode self = green.path("instances").get(0);
        assertThat(self.path("address").asText()).isEqualTo("localhost:18490");
        assertThat(self.path("self").asBoolean()).isTrue();
        assertThat(self.path("status").asText()).isEqualTo("ready");
        assertThat(self.path("stores").toString()).contains("{\"store\":\"word-count\",\"active\":[0,1],\"standby\":[]}");
        JsonNode observer = view.path("clusters").get(1).path("instances").get(0);
        assertThat(view.path("clusters").get(1).path("cluster").isNull()).as("never answered: cluster unknown").isTrue();
        assertThat(observer.path("address").asText()).isEqualTo("localhost:1");
        assertThat(observer.path("configured").asBoolean()).isTrue();
        assertThat(observer.path("mode").asText()).isEqualTo("observer");
        assertThat(observer.path("status").asText()).isEqualTo("unreachable");
    }

    @Test
    void shouldDescribeAKeyLookupReadHere() throws Exception {
        Reply reply = Http.get(BASE + "/ui/api/lookup?key=hello");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("X-IQ-Served-By")).isEqualTo("localhost:18490");
        JsonNode d = JSON.readTree(reply.body());
        assertThat(d.path("value").asLong()).isEqualTo(2);
        assertThat(d.path("answeredBy").asText()).isEqualTo("localhost:18490");
        assertThat(d.path("forwarded").asBoolean()).isFalse();
        assertThat(d.path("copy").asText()).isEqualTo("active");
        assertThat(d.path("holders").path("port").asInt()).isEqualTo(18490);
        assertThat(d.path("hops").size()).isZero();
        assertThat(d.path("totalMs").isNumber()).isTrue();
    }

    @Test
    void shouldAnswerTheLookupsOwnStatusForAnUnknownWordAndA400ForABadKey() throws Exception {
        Reply unknown = Http.get(BASE + "/ui/api/lookup?key=nosuchword");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("word 'nosuchword' not found");

        for (String query : new String[] {"", "?key=", "?key=a%01b", "?key=a&key=b", "?word=hello"}) {
            Reply bad = Http.get(BASE + "/ui/api/lookup" + query);
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.body()).startsWith("{\"status\":400,\"error\":\"");
            assertThat(bad.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void shouldSayInItsOwnInstanceEntryWhetherItIsReady() throws Exception {
        JsonNode self = null;
        for (JsonNode entry : JSON.readTree(Http.get(BASE + "/state/instances").body())) {
            if (entry.path("self").asBoolean()) {
                self = entry;
            }
        }
        assertThat(self).isNotNull();
        assertThat(self.path("cluster").asText()).isEqualTo("green");
        assertThat(self.path("mode").asText()).isEqualTo("wordcount");
        assertThat(self.path("ready").asBoolean()).isTrue();
        assertThat(self.path("state").asText()).isEqualTo("RUNNING");
    }
}
