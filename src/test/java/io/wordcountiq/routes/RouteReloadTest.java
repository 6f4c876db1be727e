package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.config.WordcountConfiguration;
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
        "http.port=18490", "management.port=18491", "routes.dir=target/reload-test/routes",
        "routes.reload.interval.ms=200", "topic.partitions=1"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteReloadTest {

    private static final Path DIR = Path.of("target/reload-test/routes");
    private static final String URL = "http://localhost:18490/state/keyvalue/word-count/reload";

    static {
        configMapVolume("..2026_v1", Path.of("routes"));
    }

    private boolean loaded;

    @BeforeEach
    void loadOnce() {
        if (!loaded) {
            loaded = true;
            await().atMost(Duration.ofSeconds(90)).until(() -> Http.get("http://localhost:18491/observe/health/ready").status() == 200);
            assertThat(Http.post("http://localhost:18490/lines", "text/plain", "reload reload").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(URL).status() == 200);
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

        // The bad version is rejected within a few scans; the previous route keeps answering meanwhile.
        for (int i = 0; i < 20; i++) {
            Reply reply = Http.get(URL);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("X-IQ-Route-Version")).isEqualTo("3");
        }
    }

    /** Hammers the key route from another thread while the change lands; returns every failed answer. */
    private List<Reply> whileLoaded(Runnable change, String expectedVersion) throws InterruptedException {
        List<Reply> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        Thread client = new Thread(() -> {
            while (running.get()) {
                Reply r = Http.get(URL);
                served.incrementAndGet();
                if (r.status() != 200) {
                    failures.add(r);
                }
            }
        });
        client.start();
        await().until(() -> served.get() > 20);
        change.run();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Reply r = Http.get(URL);
            if (r.status() != 200) {
                failures.add(r);
            }
            return expectedVersion.equals(r.header("X-IQ-Route-Version"));
        });
        int before = served.get();
        await().until(() -> served.get() > before + 20);
        running.set(false);
        client.join();
        return failures;
    }

    private static String versioned(String version) {
        return """
                - route:
                    id: key-query
                    from:
                      uri: direct:key-query
                      steps:
                        - setBody:
                            method:
                              ref: requests
                              method: keyValue
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

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
