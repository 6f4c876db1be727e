package io.wordcountiq.docs;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown pages, every repository path README.md and docs/*.md name, and every
 * file a YAML comment points to, exists.
 */
class DocumentationLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    /** The Java packages, so that a page may name a class as {@code lookup/LocalReads}. */
    private static final Path PACKAGES = Path.of("src/main/java/io/wordcountiq");

    /** Folders at the top of the repository that the pages name paths in. */
    private static final Set<String> TOP_FOLDERS =
            Set.of("routes", "src", "docs", "scripts", "kustomize", "bench", "demo", ".ci");

    /** A path as a page writes it: a first segment, a slash, and the rest up to a space, backtick, # or bracket. */
    private static final Pattern NAMED_PATH = Pattern.compile("(?<![\\w./-])(\\.?[a-z][\\w-]*)/([\\w./-]*)");

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
    void shouldNameOnlyRepositoryPathsThatExist() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> missing = new ArrayList<>();
        for (Path page : pages) {
            missing.addAll(missingPaths(page.toString(), Files.readString(page)));
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void shouldReportAPathThatDoesNotExist() {
        String text = "See `routes/key-query.camel.yaml`, `lookup/LocalReads`, src/main/java/io/wordcountiq/http/ and "
                + "[openapi](docs/api.md#paths); not `query/Requests`, routes/gone.camel.yaml or docs/threading.md.";

        assertThat(missingPaths("page", text)).containsExactly(
                "page -> query/Requests", "page -> routes/gone.camel.yaml", "page -> docs/threading.md");
    }

    /**
     * The repository paths a page names that do not exist: paths under the top folders, from the repository's root,
     * and classes or folders of the Java packages ({@code ui/ClusterSteps}, or any {@code package/ClassName}).
     * {@code /state/instances} or {@code ../src} (a link, checked above) is not a path from the repository's root.
     */
    static List<String> missingPaths(String page, String text) {
        Set<String> packages;
        try (Stream<Path> dirs = Files.list(PACKAGES)) {
            packages = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> missing = new ArrayList<>();
        Matcher m = NAMED_PATH.matcher(text);
        while (m.find()) {
            String first = m.group(1);
            String rest = m.group(2).replaceAll("[.]+$", "");
            String path = first + "/" + rest;
            boolean top = TOP_FOLDERS.contains(first);
            boolean java = packages.contains(first) || rest.matches("[A-Z]\\w*");
            if (!top && !java) {
                continue;
            }
            if (!(top && Files.exists(Path.of(path))) && !(java && javaPathExists(path))) {
                missing.add(page + " -> " + path);
            }
        }
        return missing;
    }

    private static boolean javaPathExists(String path) {
        return Files.exists(PACKAGES.resolve(path)) || Files.exists(PACKAGES.resolve(path + ".java"));
    }

    @Test
    void shouldPointTheKustomizeCommentsAtAPageThatExists() throws IOException {
        assertThat(Files.readString(Path.of("kustomize/base/kustomization.yaml"))).contains("../README.md");
        assertThat(Path.of("kustomize/README.md")).exists();
    }
}
