package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a route file's content is tried again, and what a refusal remembers. */
class RouteFileVersionsTest {

    private final Path file = Path.of("routes/lookup.camel.yaml");
    private final RouteFileVersions versions = new RouteFileVersions();

    @Test
    void shouldTryNewContentButNotTheContentAlreadyLoaded() {
        versions.loaded(file, "v1");

        assertThat(versions.worthTrying(file, "v1")).isFalse();
        assertThat(versions.worthTrying(file, "v2")).isTrue();
        assertThat(versions.worthTrying(file, null)).as("a file that cannot be read").isFalse();
    }

    @Test
    void shouldNotTryRefusedContentAgainUntilItChanges() {
        versions.loaded(file, "v1");
        versions.refused(file, "v2", "does not parse");

        assertThat(versions.worthTrying(file, "v2")).isFalse();
        assertThat(versions.refusal(file, "v2")).isEqualTo("does not parse");
        assertThat(versions.worthTrying(file, "v3")).isTrue();
        assertThat(versions.refusal(file, "v3")).isNull();
    }

    @Test
    void shouldForgetARefusalOnceANewVersionLoads() {
        versions.refused(file, "v2", "blocks the event loop");
        versions.loaded(file, "v3");

        assertThat(versions.refusal(file, "v2")).isNull();
        assertThat(versions.worthTrying(file, "v2")).as("going back to the refused content tries it again").isTrue();
    }

    @Test
    void shouldNameLoadedFilesThatAreGoneUntilForgotten() {
        Path other = Path.of("routes/forward.camel.yaml");
        versions.loaded(file, "v1");
        versions.loaded(other, "v1");

        assertThat(versions.gone(List.of(other))).containsExactly(file);
        versions.forget(file);
        assertThat(versions.gone(List.of(other))).isEmpty();
    }
}
