package io.wordcountiq.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed's "query execution example" (the worst case) on the two-cluster demo: real Kafka, four word-count JVMs
 * (green wc-0, wc-1; red wc-2, wc-3), one nginx ingress per cluster and an nginx load balancer in front, all started
 * by {@code demo/run.sh PATTERN --detach}. One pattern at a time, so at most five JVMs share the two cores.
 *
 * <p>The client pins the load balancer to green with {@code X-LB-Cluster: green} (a header route in the LB), asks
 * for a word whose owner is in red, and checks body, {@code X-IQ-Served-By} and the nginx access logs; then "all"
 * through the LB; then {@code kill -9} of a red instance and the time until its words are answered again.
 *
 * <p>North-south runs over TLS: the ingresses listen with HTTPS (a throwaway CA made by the demo), the cross-cluster hop
 * goes through red's ingress over HTTPS, and its access log records the TLS version. In every pattern the LB and the
 * ingresses route reads only (as the manifests' Ingresses do): {@code POST /lines} through the LB is answered 404 by
 * nginx itself, and ingest needs the run's {@code INGEST_TOKEN} (from demo.env).
 */
class TwoClusterE2EIT {

    private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);
    /** An nginx access-log line of a request that arrived over TLS (log_format: tls=$ssl_protocol, "-" if plain). */
    private static final Pattern OVER_TLS = Pattern.compile(" tls=TLSv1\\.[23] ");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Longest tolerated window of failed answers after kill -9 of an owner; override with -De2e.maxOutageSeconds. */
    private static final long MAX_OUTAGE_S = Long.getLong("e2e.maxOutageSeconds", 20);

    @Test
    void northSouthForwardsThroughRedIngressAndSurvivesKillOfRedOwner() throws Exception {
        try (Demo demo = Demo.start("north-south")) {
            String word = worstCase(demo);
            String ownerHost = demo.host(demo.ownerOf(word));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(demo.accessLog("red"))
                    .as("red's ingress logged the forwarded request, received over TLS")
                    .anyMatch(l -> l.contains("\"GET /state/keyvalue/word-count/" + word + " ")
                            && l.contains("host=" + ownerHost)
                            && l.contains("forwarded=yes") && l.contains("status=200") && OVER_TLS.matcher(l).find()));
            assertThat(demo.server(demo.ownerOf(word))).as("the owner advertises red's ingress")
                    .isEqualTo(ownerHost + ":" + demo.env("INGRESS_RED_PORT"));
            assertThat(demo.env("FORWARD_SCHEME")).as("instances forward over HTTPS").isEqualTo("https");
            assertThat(demo.env("INGRESS_SCHEME")).as("the ingresses listen with TLS").isEqualTo("https");
            wholeStoreThroughLb(demo);
            readsOnly(demo);
            tokensAcrossClusters(demo);
            killRedOwnerAndMeasure(demo, word);
        }
    }

    @Test
    void eastWestForwardsDirectlyAndSurvivesKillOfRedOwner() throws Exception {
        try (Demo demo = Demo.start("east-west")) {
            String word = worstCase(demo);
            assertThat(demo.server(demo.ownerOf(word))).endsWith(".svc.clusterset.local:" + demo.env("%s.http", demo.ownerOf(word)));
            assertThat(demo.accessLog("red")).as("the cross-cluster hop skips red's ingress")
                    .noneMatch(l -> l.contains("/state/keyvalue/word-count/" + word + " "));
            wholeStoreThroughLb(demo);
            readsOnly(demo);
            tokensAcrossClusters(demo);
            killRedOwnerAndMeasure(demo, word);
        }
    }

    @Test
    void observerAnswersEveryKeyInItsOwnClusterAndSurvivesKills() throws Exception {
        try (Demo demo = Demo.start("observer")) {
            Map<String, Long> expected = demo.expectedCounts();
            String word = expected.keySet().iterator().next();
            for (String cluster : List.of("green", "red")) {
                HttpResponse<String> r = demo.get("/state/keyvalue/word-count/" + word, cluster);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(r.body()).get("value").asLong()).isEqualTo(expected.get(word));
                assertThat(servedBy(r)).as("an observer of the cluster the LB chose, no forwarding")
                        .isIn(cluster.equals("green") ? List.of(demo.server("obs-0"), demo.server("obs-1"))
                                : List.of(demo.server("obs-2"), demo.server("obs-3")));
            }
            assertThat(demo.accessLog("green")).noneMatch(l -> l.contains("forwarded=yes"));
            assertThat(demo.accessLog("red")).noneMatch(l -> l.contains("forwarded=yes"));
            wholeStoreThroughLb(demo);
            readsOnly(demo);
            tokensAcrossClusters(demo);
            windowsThroughLbAsAWordCountInstanceAnswers(demo, word);
            killOneOfTwoObserversUnderLoad(demo, word, expected.get(word));

            // kill -9 a red word-count instance: counting goes on (its standby takes over), observers see new lines
            demo.kill9("wc-2");
            String fresh = "observerfreshword";
            HttpResponse<String> posted = demo.postLines("http://127.0.0.1:" + demo.env("wc-0.http"), fresh + " " + word,
                    demo.env("INGEST_TOKEN"));
            assertThat(posted.statusCode()).isEqualTo(202);
            await("new lines reach both observers after wc-2 died").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        for (String cluster : List.of("green", "red")) {
                            assertThat(value(demo.get("/state/keyvalue/word-count/" + fresh, cluster))).isEqualTo(1);
                            assertThat(value(demo.get("/state/keyvalue/word-count/" + word, cluster)))
                                    .isEqualTo(expected.get(word) + 1);
                        }
                    });

            // kill -9 red's other observer too: the LB skips red and every key is still answered
            demo.kill9("obs-2");
            long outageMs = awaitAnswered(demo, word, null, expected.get(word) + 1);
            report("observer", "kill -9 of red's last observer, unpinned GET through the LB", outageMs);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> demo.get("/state/keyvalue/word-count/" + word, null).statusCode() == 200);
        }
    }

    /** A word's windows through the LB (observers) equal a word-count instance's own answer, body and all. */
    private static void windowsThroughLbAsAWordCountInstanceAnswers(Demo demo, String word) throws Exception {
        String path = "/state/windowed/windowed-word-count/" + word + "/0/" + (System.currentTimeMillis() + 60_000);
        HttpResponse<String> counted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + demo.env("wc-0.http") + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(counted.body()).startsWith("[{\"key\":\"" + word + "@");
        for (String cluster : List.of("green", "red")) {
            await("windows at an observer of " + cluster).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        HttpResponse<String> observed = demo.get(path, cluster);
                        assertThat(observed.statusCode()).as(cluster).isEqualTo(200);
                        assertThat(observed.body()).isEqualTo(counted.body());
                    });
        }
    }

    /**
     * Eight clients read through the LB, unpinned and pinned to red, while one of red's two observers is killed -9:
     * the ingress passes a refused or reset read to red's other observer, so no read fails.
     */
    private static void killOneOfTwoObserversUnderLoad(Demo demo, String word, long count) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Map<String, Integer> failed = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String cluster = c % 2 == 0 ? "red" : null;
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = demo.get("/state/keyvalue/word-count/" + word, cluster);
                        if (r.statusCode() != 200 || value(r) != count) {
                            failed.merge(r.statusCode() + " " + r.body(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        failed.merge(e.toString(), 1, Integer::sum);
                    }
                    reads.incrementAndGet();
                }
            });
            t.start();
            clients.add(t);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 200);
        demo.kill9("obs-3");
        int atKill = reads.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() > atKill + 2_000);
        stop.set(true);
        for (Thread t : clients) {
            t.join(15_000);
        }
        System.out.printf("[e2e] observer: kill -9 obs-3 under 8 clients through the LB: %d reads, %d after the kill, "
                + "failed %s%n", reads.get(), reads.get() - atKill, failed);
        assertThat(failed).as("reads through the LB while one of red's two observers dies").isEmpty();
    }

    /** The seed's worst case: in through the LB to green, the word lives in red, the answer comes back. */
    private static String worstCase(Demo demo) throws Exception {
        Map<String, Long> expected = demo.expectedCounts();
        String redWord = null;
        for (String candidate : expected.keySet()) {
            if (demo.cluster(demo.ownerOf(candidate)).equals("red")) {
                redWord = candidate;
                break;
            }
        }
        assertThat(redWord).as("some word of the sample is owned by red").isNotNull();
        String word = redWord;
        String owner = demo.ownerOf(word);
        int greenLines = demo.accessLog("green").size();

        HttpResponse<String> r = demo.get("/state/keyvalue/word-count/" + word, "green");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(r.body(), Map.class)).isEqualTo(Map.of("key", word, "value", expected.get(word).intValue()));
        assertThat(servedBy(r)).as("served by the red owner").isEqualTo(demo.server(owner));
        // nginx writes an access log line just after it answered: wait for it, with a deadline.
        await("the LB logged the request").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(demo.accessLog("lb")).anyMatch(l -> l.contains("/state/keyvalue/word-count/" + word + " ")
                        && l.contains("upstream=127.0.0.1:" + demo.env("INGRESS_GREEN_PORT"))));
        AtomicReference<String> entered = new AtomicReference<>();
        await("green's ingress logged the request").atMost(Duration.ofSeconds(5)).until(() -> {
            demo.accessLog("green").stream().skip(greenLines)
                    .filter(l -> l.contains("/state/keyvalue/word-count/" + word + " ")).findFirst().ifPresent(entered::set);
            return entered.get() != null;
        });
        String enteredGreen = entered.get();
        assertThat(enteredGreen).contains("forwarded=no")
                .containsAnyOf("upstream=127.0.0.1:" + demo.env("wc-0.http"), "upstream=127.0.0.1:" + demo.env("wc-1.http"));
        if (demo.env("INGRESS_SCHEME").equals("https")) {
            assertThat(enteredGreen).as("the LB reached green's ingress over TLS").containsPattern(OVER_TLS);
        } else {
            assertThat(enteredGreen).as("plain HTTP to green's ingress").contains(" tls=- ");
        }
        return word;
    }

    /**
     * Reads only through the LB, as through the manifests' Ingresses: POST /lines (even with the right token) and the
     * management path are answered 404 by nginx itself and reach no instance; an instance takes lines with the run's
     * ingest token only.
     */
    private static void readsOnly(Demo demo) throws Exception {
        int lbLines = demo.accessLog("lb").size();
        HttpResponse<String> post = demo.postLines(demo.env("LB_URL"), "closed doors", demo.env("INGEST_TOKEN"));
        assertThat(post.statusCode()).as("POST /lines through the LB, with the ingest token").isEqualTo(404);
        HttpResponse<String> health = demo.get("/observe/health/ready", null);
        assertThat(health.statusCode()).as("GET /observe/health/ready through the LB").isEqualTo(404);
        for (HttpResponse<String> r : List.of(post, health)) {
            assertThat(servedBy(r)).as("no instance answered " + r.request().uri()).isEmpty();
        }
        await("the LB logged both as answered by itself (upstream=-)").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> lines = demo.accessLog("lb").stream().skip(lbLines).toList();
            assertThat(lines).anyMatch(l -> l.contains("\"POST /lines ") && l.contains("status=404 upstream=- "));
            assertThat(lines).anyMatch(l -> l.contains("\"GET /observe/health/ready ") && l.contains("status=404 upstream=- "));
        });
        HttpResponse<String> noToken = demo.postLines("http://127.0.0.1:" + demo.env("wc-0.http"), "closed doors", null);
        assertThat(noToken.statusCode()).as("POST /lines to wc-0 without the ingest token").isEqualTo(401);
    }

    private static void wholeStoreThroughLb(Demo demo) throws Exception {
        Map<String, Long> expected = demo.expectedCounts();
        for (String cluster : new String[] {"green", "red", null}) {
            HttpResponse<String> r = demo.get("/state/keyvalues/word-count/all", cluster);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-IQ-Missing")).as("complete, nothing missing").isEmpty();
            Map<String, Long> all = new TreeMap<>();
            for (JsonNode kv : JSON.readTree(r.body())) {
                all.put(kv.get("key").asText(), kv.get("value").asLong());
            }
            assertThat(all).as("all via " + cluster).isEqualTo(expected);
        }
    }

    /**
     * Read-your-writes across clusters, through the LB and the ingresses: a line written in one cluster is read at
     * once through the other cluster's entry point with the write's token, and the read's token, presented to the
     * first cluster, never gets an older count.
     */
    private static void tokensAcrossClusters(Demo demo) throws Exception {
        String[] writers = {"wc-0", "wc-2"};
        int older = 0;
        for (int i = 0; i < 20; i++) {
            String pod = writers[i % 2];
            String readIn = demo.env("%s.cluster", pod).equals("green") ? "red" : "green";
            String word = "tokenword" + (i % 4);
            HttpResponse<String> posted = demo.postLines("http://127.0.0.1:" + demo.env("%s.http", pod), word,
                    demo.env("INGEST_TOKEN"));
            assertThat(posted.statusCode()).isEqualTo(202);
            String token = posted.headers().firstValue("X-IQ-Token").orElseThrow();
            long count = i / 4 + 1;
            HttpResponse<String> plain = demo.get("/state/keyvalue/word-count/" + word, readIn);
            older += plain.statusCode() == 200 && value(plain) == count ? 0 : 1;

            HttpResponse<String> read = demo.get("/state/keyvalue/word-count/" + word, readIn, "X-IQ-Token", token);
            assertThat(read.statusCode()).as("token read through " + readIn + ": " + read.body()).isEqualTo(200);
            assertThat(value(read)).as("the write in the other cluster, seen at once").isEqualTo(count);
            String seen = read.headers().firstValue("X-IQ-Token").orElseThrow();
            HttpResponse<String> back = demo.get("/state/keyvalue/word-count/" + word,
                    readIn.equals("green") ? "red" : "green", "X-IQ-Token", seen);
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(value(back)).as("the read's token in the other cluster never goes back").isEqualTo(count);
        }
        System.out.printf("[e2e] %s tokens: 20 cross-cluster writes read back with their tokens, 0 older; "
                + "plain reads older: %d of 20%n", demo.pattern, older);
    }

    /** kill -9 the red owner of word; its words must be answered again through the LB (entering green). */
    private static void killRedOwnerAndMeasure(Demo demo, String word) throws Exception {
        String victim = demo.ownerOf(word);
        Map<String, Long> expected = demo.expectedCounts();
        List<String> victimWords = expected.keySet().stream()
                .filter(w -> {
                    try {
                        return demo.ownerOf(w).equals(victim);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        demo.kill9(victim);
        long outageMs = awaitAnswered(demo, word, "green", expected.get(word));
        report(demo.pattern, "kill -9 " + victim + ", GET pinned to green", outageMs);
        assertThat(outageMs).as("outage window after kill -9 of the owner (ms)").isLessThan(MAX_OUTAGE_S * 1000);
        await("every word of " + victim + " keeps being answered").during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    for (String w : victimWords) {
                        HttpResponse<String> r = demo.get("/state/keyvalue/word-count/" + w, "green");
                        if (r.statusCode() != 200 || value(r) != expected.get(w) || demo.server(victim).equals(servedBy(r))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Polls until word is answered with the right count; returns the ms from the call to the first good answer. */
    private static long awaitAnswered(Demo demo, String word, String cluster, long count) {
        long start = System.nanoTime();
        Map<String, Integer> failures = new TreeMap<>();
        AtomicReference<String> lastServedBy = new AtomicReference<>();
        await("word '" + word + "' answered through the LB again").atMost(Duration.ofSeconds(120))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                    HttpResponse<String> r = demo.get("/state/keyvalue/word-count/" + word, cluster);
                    if (r.statusCode() == 200 && value(r) == count) {
                        lastServedBy.set(servedBy(r) + (r.headers().firstValue("X-IQ-Stale").isPresent() ? " (stale)" : ""));
                        return true;
                    }
                    failures.merge(String.valueOf(r.statusCode()), 1, Integer::sum);
                    return false;
                });
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("[e2e] %s: answered again after %d ms by %s; failed answers by status: %s%n",
                word, ms, lastServedBy.get(), failures);
        return ms;
    }

    private static void report(String pattern, String what, long outageMs) throws IOException {
        Path out = Path.of("target", "e2e", "outage.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.format("%s\t%s\t%d ms%n", pattern, what, outageMs),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String servedBy(HttpResponse<?> r) {
        return r.headers().firstValue("X-IQ-Served-By").orElse("");
    }

    private static long value(HttpResponse<String> r) throws IOException {
        return r.statusCode() == 200 ? JSON.readTree(r.body()).get("value").asLong() : -1;
    }

    /** One running demo (demo/run.sh PATTERN --detach); close() stops it and checks that no port is left. */
    static final class Demo implements AutoCloseable {
        private static final Path REPO = Path.of("").toAbsolutePath();
        private static final int PORT_BASE = Integer.getInteger("e2e.portBase", 18500);

        final String pattern;
        private final Path work;
        private final Properties env = new Properties();
        private final Thread stopOnExit;
        private final Map<String, String> owners = new LinkedHashMap<>();
        private Map<String, Long> expected;

        private Demo(String pattern) {
            this.pattern = pattern;
            this.work = REPO.resolve("target/e2e/" + pattern);
            this.stopOnExit = new Thread(this::stop);
        }

        static Demo start(String pattern) throws Exception {
            Demo demo = new Demo(pattern);
            Runtime.getRuntime().addShutdownHook(demo.stopOnExit);
            Path out = demo.work.resolveSibling(pattern + ".out");
            Files.createDirectories(out.getParent());
            Process p = demo.script(pattern, "--detach").redirectOutput(out.toFile()).start();
            try {
                assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("demo started within 240 s; see " + out).isTrue();
                assertThat(p.exitValue()).as("demo/run.sh exit code; see " + out + "\n" + Files.readString(out)).isZero();
                try (Reader r = Files.newBufferedReader(demo.work.resolve("demo.env"))) {
                    demo.env.load(r);
                }
            } catch (Throwable t) {
                p.destroyForcibly();
                demo.close();
                throw t;
            }
            return demo;
        }

        private ProcessBuilder script(String... args) {
            List<String> cmd = new ArrayList<>(List.of("bash", "demo/run.sh"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
            pb.environment().put("WORK", work.toString());
            pb.environment().put("DEMO_PORT_BASE", String.valueOf(PORT_BASE));
            return pb;
        }

        String env(String key, Object... args) {
            String value = env.getProperty(String.format(key, args));
            assertThat(value).as("demo.env has " + String.format(key, args)).isNotNull();
            return value;
        }

        String server(String pod) {
            return env("%s.server", pod);
        }

        String cluster(String pod) {
            return env("%s.cluster", pod);
        }

        String host(String pod) {
            return server(pod).substring(0, server(pod).lastIndexOf(':'));
        }

        /** GET through the load balancer; cluster "green"/"red" pins it with X-LB-Cluster, null lets the LB choose. */
        HttpResponse<String> get(String path, String cluster, String... headerPairs) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(env("LB_URL") + path)).timeout(Duration.ofSeconds(10));
            if (cluster != null) {
                b.header("X-LB-Cluster", cluster);
            }
            for (int i = 0; i < headerPairs.length; i += 2) {
                b.header(headerPairs[i], headerPairs[i + 1]);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** POST text/plain lines to BASE/lines, with "Authorization: Bearer TOKEN" unless token is null. */
        HttpResponse<String> postLines(String base, String lines, String token) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/lines")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(lines)).timeout(Duration.ofSeconds(10));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The pod that owns word now (from /state/instance through the LB), remembered as it was before any kill. */
        String ownerOf(String word) throws IOException, InterruptedException {
            String owner = owners.get(word);
            if (owner == null) {
                HttpResponse<String> r = get("/state/instance/word-count/" + word, null);
                assertThat(r.statusCode()).as("owner of " + word).isEqualTo(200);
                String server = JSON.readTree(r.body()).get("host").asText() + ":" + JSON.readTree(r.body()).get("port").asText();
                owner = env("PODS").split(" ")[0];
                for (String pod : env("PODS").split(" ")) {
                    if (server(pod).equals(server)) {
                        owner = pod;
                    }
                }
                assertThat(server(owner)).isEqualTo(server);
                owners.put(word, owner);
            }
            return owner;
        }

        /** Word counts of demo/sample.txt, split as the topology does, sorted by word. */
        Map<String, Long> expectedCounts() throws IOException {
            if (expected == null) {
                Map<String, Long> counts = new TreeMap<>();
                for (String line : Files.readAllLines(REPO.resolve("demo/sample.txt"))) {
                    for (String w : NON_WORD.split(line.toLowerCase(Locale.ROOT))) {
                        if (!w.isEmpty()) {
                            counts.merge(w, 1L, Long::sum);
                        }
                    }
                }
                expected = counts;
            }
            return expected;
        }

        List<String> accessLog(String nginx) throws IOException {
            String name = nginx.equals("lb") ? "lb" : "ingress-" + nginx;
            return Files.readAllLines(work.resolve(name + "/logs/access.log"));
        }

        void kill9(String pod) throws IOException {
            long pid = -1;
            for (String line : Files.readAllLines(work.resolve("pids"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && f[1].equals(pod)) {
                    pid = Long.parseLong(f[0]);
                }
            }
            assertThat(pid).as("pid of " + pod).isPositive();
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            assertThat(handle.destroyForcibly()).as("SIGKILL sent to " + pod).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isAlive());
        }

        private void stop() {
            try {
                script("stop").redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(90, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            for (int port : List.of(PORT_BASE, PORT_BASE + 1, PORT_BASE + 2, PORT_BASE + 10, PORT_BASE + 13, PORT_BASE + 92)) {
                assertThat(listening(port)).as("port " + port + " is free after stop").isFalse();
            }
        }

        private static boolean listening(int port) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (ConnectException e) {
                return false;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
