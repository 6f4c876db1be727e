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

/**
 * README.md stays short, and its walk of a request through routes/ (like the list of route files in
 * docs/architecture.md) names bean steps and endpoints those route files really have. That every path a page names
 * exists is checked with the other pages, in {@link DocumentationLinksTest}.
 */
class ReadmeTest {

    private static final Path README = Path.of("README.md");
    private static final Path ARCHITECTURE = Path.of("docs/architecture.md");

    /** A list item that starts with a route file in backticks; its continuation lines are indented. */
    private static final Pattern ROUTE_ITEM = Pattern.compile("^- `(routes/[\\w-]+\\.camel\\.yaml)`(.*)$");

    /** A bean step ({@code localReads.read}) or an endpoint ({@code peer:hop}) in backticks. */
    private static final Pattern STEP = Pattern.compile("`(?:([a-z]\\w*)\\.([a-z]\\w*)|((?:direct|peer):[\\w-]+))`");

    @Test
    void shouldStayWithinEightyLines() throws IOException {
        assertThat(Files.readAllLines(README).size()).as("lines of README.md").isLessThanOrEqualTo(80);
    }

    @Test
    void shouldWalkAKeyLookupThroughStepsTheRouteFilesHave() throws IOException {
        String readme = Files.readString(README);
        assertThat(readme).contains("GET /state/keyvalue/word-count/{key}");

        List<String> walked = new ArrayList<>();
        assertThat(stepsNotInRoutes(readme, walked)).isEmpty();
        assertThat(walked).as("the route files the walk names").containsExactly(
                "routes/state-api.camel.yaml", "routes/key-query.camel.yaml",
                "routes/local-or-forward.camel.yaml", "routes/forward.camel.yaml");
    }

    @Test
    void shouldDescribeEveryRouteFileWithStepsItHas() throws IOException {
        List<String> described = new ArrayList<>();
        assertThat(stepsNotInRoutes(Files.readString(ARCHITECTURE), described)).isEmpty();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            assertThat(described).as("the route files " + ARCHITECTURE + " describes")
                    .containsExactlyInAnyOrderElementsOf(files.map(p -> "routes/" + p.getFileName()).toList());
        }
    }

    @Test
    void shouldReportAStepTheRouteFileDoesNotHave() throws IOException {
        String walk = "- `routes/key-query.camel.yaml`: `requests.keyValue`, then `admission.admit`\n"
                + "- `routes/forward.camel.yaml`: `forwarding.lookup` and `peer:hop`,\n"
                + "  then `peer:parts`\n";

        assertThat(stepsNotInRoutes(walk, new ArrayList<>())).containsExactly(
                "routes/forward.camel.yaml has no forwarding.lookup", "routes/forward.camel.yaml has no peer:parts");
    }

    /**
     * For each list item that starts with a route file, the bean steps and endpoints it names in backticks that the
     * file does not have; {@code items} receives the route files in the order named.
     */
    static List<String> stepsNotInRoutes(String text, List<String> items) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String item : routeItems(text)) {
            Matcher start = ROUTE_ITEM.matcher(item);
            start.find();
            String file = start.group(1);
            items.add(file);
            String route = Files.readString(Path.of(file));
            Matcher step = STEP.matcher(start.group(2));
            while (step.find()) {
                String named = step.group(3) != null ? step.group(3) : step.group(1) + "." + step.group(2);
                boolean found = step.group(3) != null
                        ? route.contains("to: " + step.group(3))
                        : Pattern.compile("ref: " + step.group(1) + "\\s+method: " + step.group(2) + "\\b")
                                .matcher(route).find();
                if (!found) {
                    missing.add(file + " has no " + named);
                }
            }
        }
        return missing;
    }

    /** The list items that start with a route file, each with its indented continuation lines joined. */
    private static List<String> routeItems(String text) {
        List<String> items = new ArrayList<>();
        StringBuilder item = null;
        for (String line : text.split("\n")) {
            if (item != null && line.startsWith("  ") && !line.isBlank()) {
                item.append(' ').append(line.strip());
                continue;
            }
            if (item != null) {
                items.add(item.toString());
                item = null;
            }
            if (ROUTE_ITEM.matcher(line).matches()) {
                item = new StringBuilder(line);
            }
        }
        if (item != null) {
            items.add(item.toString());
        }
        return items;
    }
}
