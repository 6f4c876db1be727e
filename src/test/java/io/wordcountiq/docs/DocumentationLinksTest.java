package io.wordcountiq.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link in the project's Markdown pages, and every file a YAML comment points to, exists. */
class DocumentationLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void shouldResolveEveryRelativeLinkInTheMarkdownPages() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages;
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            pages = files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.startsWith("./target") && !p.startsWith("./.tools") && !p.startsWith("./.git"))
                    .toList();
        }
        assertThat(pages).as("the pages this test reads").contains(Path.of("./README.md"), Path.of("./docs/api.md"));
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                if (!Files.exists(page.getParent().resolve(target).normalize())) {
                    broken.add(page + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void shouldPointTheKustomizeCommentsAtAPageThatExists() throws IOException {
        assertThat(Files.readString(Path.of("kustomize/base/kustomization.yaml"))).contains("../README.md");
        assertThat(Path.of("kustomize/README.md")).exists();
    }
}
