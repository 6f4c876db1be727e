package io.wordcountiq.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.UiRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page's files: only plain names under ui/ of a known type, each with its Content-Type. */
class UiFilesTest {

    private final UiFiles files = new UiFiles();

    @Test
    void shouldServeThePagesFilesWithTheirContentTypes() {
        assertThat(UiFiles.contentType("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(UiFiles.contentType("ui.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(UiFiles.contentType("ui.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(UiFiles.contentType("img/logo.PNG")).isEqualTo("image/png");
        assertThat(files.has("index.html")).isTrue();
        assertThat(files.has("ui.js")).isTrue();
        assertThat(files.has("ui.css")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../application.properties", "..", "../ui/index.html", "./index.html", "a/../index.html",
            ".hidden.js", "a/.hidden.js", "/index.html", "index.html/", "a//b.js", "a\\b.js", "%2e%2e/x.js",
            "index.html?x=1", "index.html#x", "C:/x.js", "index", "index.", "archive.jar", "log4j2.properties",
            "io/wordcountiq/App.class", "a/b/c/d/e.js", ""})
    void shouldRefuseAnyNameThatIsNotAPlainFileOfAServedType(String name) {
        assertThat(UiFiles.contentType(name)).as(name).isNull();
        assertThat(files.has(name)).as(name).isFalse();
    }

    @Test
    void shouldReadOnlyUnderTheUiFolderOfTheClassPath() {
        assertThat(files.has("application.properties")).as("on the class path, but not under ui/").isFalse();
        assertThat(files.has("nosuch.js")).isFalse();
    }

    @Test
    void shouldAnswerAFileWholeWithItsLengthAndTheRedirectWithItsLocation() {
        Exchange file = exchange(new UiRequest.StaticFile("ui.css"));
        file.getMessage().setHeader("Location", "http://evil.example/");
        files.serve(file);
        files.secure(file);

        assertThat(file.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/css; charset=utf-8");
        assertThat(StandardCharsets.UTF_8.decode(file.getMessage().getBody(ByteBuffer.class)).toString()).contains(".badge");
        assertThat(file.getMessage().getHeaders()).as("nothing of the request goes back").doesNotContainKey("Location")
                .containsEntry("Content-Security-Policy", UiFiles.CONTENT_SECURITY_POLICY)
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Cache-Control", "no-cache");

        Exchange redirect = exchange(new UiRequest.Redirect("/ui/?key=a"));
        files.serve(redirect);
        assertThat(redirect.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(301);
        assertThat(redirect.getMessage().getHeader("Location")).isEqualTo("/ui/?key=a");
    }

    private static Exchange exchange(UiRequest request) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(request);
        return exchange;
    }
}
