package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFolderTest {

    @TempDir
    Path dir;

    @Test
    void shouldListVisibleYamlFilesInOrder() throws Exception {
        Files.writeString(dir.resolve("b.camel.yaml"), "b");
        Files.writeString(dir.resolve("a.camel.yaml"), "a");
        Files.writeString(dir.resolve(".hidden.yaml"), "h");
        Files.writeString(dir.resolve("notes.txt"), "n");
        Files.createDirectory(dir.resolve("sub.yaml"));

        assertThat(new RouteFolder(dir).files()).containsExactly(dir.resolve("a.camel.yaml"), dir.resolve("b.camel.yaml"));
    }

    @Test
    void shouldSayNothingForAMissingFolder() {
        assertThat(new RouteFolder(dir.resolve("missing")).files()).isNull();
    }

    @Test
    void shouldFingerprintContentNotTheFile() throws Exception {
        Path one = Files.writeString(dir.resolve("one.yaml"), "same");
        Path two = Files.writeString(dir.resolve("two.yaml"), "same");
        String before = RouteFolder.hash(one);
        Files.writeString(one, "changed");

        assertThat(RouteFolder.hash(two)).isEqualTo(before);
        assertThat(RouteFolder.hash(one)).isNotEqualTo(before);
        assertThat(RouteFolder.hash(dir.resolve("gone.yaml"))).isNull();
    }
}
