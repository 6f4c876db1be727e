package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Route files change under a running instance, laid out as a Kubernetes ConfigMap volume: every file is a symlink
 * into "..data", itself a symlink to a timestamped folder that an update replaces atomically.
 */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/reload-test/data", "http.port=18490", "management.port=18491", "routes.dir=target/reload-test/routes",
        "routes.reload.interval.ms=200", "topic.partitions=1"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteReloadTest {

    private static final Path DIR = Path.of("target/reload-test/routes");
    private static final String URL = "http://localhost:18490/state/keyvalue/word-count/reload";
    private static final String ANSWER = "{\"key\":\"reload\",\"value\":2}";

    static {
        FreshFolder.of("target/reload-test/data");
        configMapVolume("..2026_v1", Path.of("routes"));
    }

    private boolean loaded;

    @BeanInject("routesWatcher")
    RoutesDirectoryWatcher watcher;

    @BeanInject
    CamelContext context;

    @BeforeEach
    void loadOnce() {
        if (!loaded) {
            loaded = true;
            Http.awaitReady(18491);
            assertThat(Http.post("http://localhost:18490/lines", "text/plain", "reload reload").status()).isEqualTo(202);
            // Both words of the line are counted (a read between the two would see 1).
            await().atMost(Duration.ofSeconds(60)).until(() -> ANSWER.equals(Http.get(URL).body()));
        }
    }

    @Test
    @Order(1)
    void shouldPickUpAConfigMapSymlinkSwapWithoutFailingARequest() throws Exception {
        Path v2 = DIR.resolve("..2026_v2");
        copyRoutes(Path.of("routes"), v2);
        Files.writeString(v2.resolve("key-query.camel.yaml"), versioned("2"));

        List<Reply> failures = whileLoaded(() -> swapDataLink("..2026_v2"), "2");

        assertThat(failures).isEmpty();
    }

    @Test
    @Order(2)
    void shouldPickUpAnAtomicMoveWithoutFailingARequest() throws Exception {
        Path tmp = DIR.resolve(".key-query.tmp");
        Files.writeString(tmp, versioned("3"));

        List<Reply> failures = whileLoaded(() -> move(tmp, DIR.resolve("key-query.camel.yaml")), "3");

        assertThat(failures).isEmpty();
    }

    @Test
    @Order(3)
    void shouldKeepTheRunningRoutesWhenAnEditDoesNotParse() throws Exception {
        Path tmp = DIR.resolve(".key-query.tmp");
        Files.writeString(tmp, "- route:\n    id: key-query\n    from: [this is not a route\n");
        move(tmp, DIR.resolve("key-query.camel.yaml"));

        // The watcher sees the bad version and refuses it; the previous route keeps answering.
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.refused(DIR.resolve("key-query.camel.yaml")));
        for (int i = 0; i < 20; i++) {
            Reply reply = Http.get(URL);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(ANSWER);
            assertThat(reply.header("X-IQ-Route-Version")).isEqualTo("3");
        }
    }

    @Test
    @Order(4)
    void shouldRefuseAReloadThatWouldBlockAnEventLoopAndKeepTheOldRoutes() throws Exception {
        for (String blocking : List.of("- to: file:target/reload-test/out", "- delay:\n    constant: 20",
                "- bean:\n    ref: lineWriter\n    method: write")) {
            // The step goes in before the last one, at the steps' indentation.
            String edited = versioned("4").replace("        - setHeader:",
                    "        " + blocking.replace("\n", "\n        ") + "\n        - setHeader:");
            Path tmp = DIR.resolve(".key-query.tmp");
            Files.writeString(tmp, edited);
            move(tmp, DIR.resolve("key-query.camel.yaml"));

            await(blocking).atMost(Duration.ofSeconds(10))
                    .until(() -> watcher.refused(DIR.resolve("key-query.camel.yaml")));
            assertThat(watcher.refusal(DIR.resolve("key-query.camel.yaml"))).as(blocking)
                    .contains("route 'key-query'", "would block the event loop");
            for (int i = 0; i < 20; i++) {
                Reply reply = Http.get(URL);
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo(ANSWER);
                assertThat(reply.header("X-IQ-Route-Version")).as("the previous routes stay").isEqualTo("3");
            }
        }
    }

    @Test
    @Order(5)
    void shouldSwapTheRestFileItselfWithoutFailingARequest() throws Exception {
        String probe = "http://localhost:18490/state/reload-probe";
        assertThat(Http.get(probe).status()).isEqualTo(404);
        String rest = Files.readString(Path.of("routes/state-api.camel.yaml")).replace(
                "      - id: get-instances\n",
                "      - id: get-reload-probe\n        path: /reload-probe\n        to: bean:instances?method=all\n      - id: get-instances\n");
        assertThat(rest).contains("reload-probe");
        Path tmp = DIR.resolve(".state-api.tmp");
        Files.writeString(tmp, rest);

        List<Reply> failures = whileLoadedUntil(() -> move(tmp, DIR.resolve("state-api.camel.yaml")),
                () -> Http.get(probe).status() == 200);

        assertThat(failures).isEmpty();
    }

    @Test
    @Order(6)
    void shouldRemoveOnlyTheRoutesOfADeletedFile() throws Exception {
        Path extra = DIR.resolve("extra.camel.yaml");
        Path tmp = DIR.resolve(".extra.tmp");
        Files.writeString(tmp, "- route:\n    id: extra\n    from:\n      uri: direct:extra\n      steps:\n        - log: extra\n");
        move(tmp, extra);
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getRoute("extra") != null);
        int routes = context.getRoutes().size();

        List<Reply> failures = whileLoadedUntil(() -> delete(extra), () -> context.getRoute("extra") == null);

        assertThat(failures).isEmpty();
        assertThat(context.getRoutes()).hasSize(routes - 1);
    }

    @Test
    @Order(7)
    void shouldKeepEveryRouteWhileTheFolderIsGoneForAWhile() throws Exception {
        int routes = context.getRoutes().size();
        Path away = DIR.resolveSibling("routes.away");
        long scans = watcher.completedScans();

        List<Reply> failures = whileLoadedUntil(() -> move(DIR, away), () -> watcher.completedScans() > scans + 10);
        assertThat(context.getRoutes()).as("a missing folder keeps the running routes").hasSize(routes);
        long back = watcher.completedScans();
        failures.addAll(whileLoadedUntil(() -> move(away, DIR), () -> watcher.completedScans() > back + 3));

        assertThat(failures).isEmpty();
        assertThat(context.getRoutes()).hasSize(routes);
        assertThat(Http.get(URL).status()).isEqualTo(200);
    }

    /** Hammers the key route from another thread while a change lands, until {@code done}; returns failed answers. */
    private List<Reply> whileLoadedUntil(Runnable change, java.util.concurrent.Callable<Boolean> done)
            throws InterruptedException {
        List<Reply> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        Thread client = new Thread(() -> {
            while (running.get()) {
                Reply r = Http.get(URL);
                served.incrementAndGet();
                if (r.status() != 200 || !ANSWER.equals(r.body())) {
                    failures.add(r);
                }
            }
        });
        client.start();
        await().until(() -> served.get() > 20);
        change.run();
        await().atMost(Duration.ofSeconds(20)).until(done);
        int before = served.get();
        await().until(() -> served.get() > before + 20);
        running.set(false);
        client.join();
        return failures;
    }

    /** Hammers the key route while the change lands, until the route answers with the expected version. */
    private List<Reply> whileLoaded(Runnable change, String expectedVersion) throws InterruptedException {
        return whileLoadedUntil(change, () -> expectedVersion.equals(Http.get(URL).header("X-IQ-Route-Version")));
    }

    private static String versioned(String version) {
        return """
                - route:
                    id: key-query
                    routePolicy: eventLoop
                    from:
                      uri: direct:key-query
                      steps:
                        - bean:
                            ref: requests
                            method: keyValue
                        - bean:
                            ref: admission
                            method: admit
                        - to: direct:local-or-forward
                        - setHeader:
                            name: X-IQ-Route-Version
                            constant: "%s"
                """.formatted(version);
    }

    private static void configMapVolume(String version, Path source) {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> files = Files.walk(DIR)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            copyRoutes(source, DIR.resolve(version));
            Files.createSymbolicLink(DIR.resolve("..data"), Path.of(version));
            try (Stream<Path> files = Files.list(DIR.resolve(version))) {
                for (Path f : files.toList()) {
                    Files.createSymbolicLink(DIR.resolve(f.getFileName()), Path.of("..data").resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyRoutes(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** What the kubelet does: a new "..data_tmp" link renamed over "..data" in one step. */
    private static void swapDataLink(String version) {
        try {
            Path tmp = DIR.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, Path.of(version));
            Files.move(tmp, DIR.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
