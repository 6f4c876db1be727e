package io.wordcountiq.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.support.Jvm;
import io.wordcountiq.support.TwoNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two clusters really apart: green and red each in a network namespace of their own, a 10 ms delay each way between
 * them (nothing between either and the broker), then a 60 s partition between them and its healing
 * (scripts/netns/clusters.sh, as root). Four instance JVMs, two per cluster, standbys in the other cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoClustersApartIT {

    private static final int WORDS = 120;
    private static final int LINES_PER_WORD = 3;
    private static final String SECRET = "two-clusters-apart-secret-0123456789";
    private static final Pattern HOLDERS = Pattern.compile("\"host\":\"([^\"]+)\",\"port\":(\\d+)");

    private TwoNetworks net;
    private Path work;
    private Process broker;
    private final Map<String, Node> nodes = new LinkedHashMap<>();

    /** One instance in a namespace: its address is its own IP there, port 8080. */
    private record Node(String name, String ns, String ip, int management, Process process, Path log) {
        String address() {
            return ip + ":8080";
        }

        String url(String path) {
            return "http://" + address() + path;
        }

        String cluster() {
            return name.substring(0, name.indexOf('-'));
        }
    }

    @BeforeAll
    void start() throws Exception {
        net = TwoNetworks.up(10);
        work = Files.createTempDirectory("two-clusters-apart");
        startBroker();
        startNode("green-0", "green", net.green(0), 9870);
        startNode("green-1", "green", net.green(1), 9871);
        startNode("red-0", "red", net.red(0), 9872);
        startNode("red-1", "red", net.red(1), 9873);
        for (Node node : nodes.values()) {
            await("ready: " + node.name).atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(node.process.isAlive()).as(node.name + " runs, see " + node.log).isTrue();
                return "200".equals(curl(node.ns, "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://" + node.ip + ":" + node.management + "/observe/health/ready"));
            });
        }
        StringBuilder lines = new StringBuilder();
        for (int n = 0; n < LINES_PER_WORD; n++) {
            for (int w = 0; w < WORDS; w++) {
                lines.append(word(w)).append('\n');
            }
        }
        Path body = work.resolve("lines.txt");
        Files.writeString(body, lines);
        Node entry = nodes.get("green-0");
        await("lines written").atMost(Duration.ofSeconds(60)).until(() -> "202".equals(curl(entry.ns, "-s", "-o",
                "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Content-Type: text/plain", "--data-binary",
                "@" + body, entry.url("/lines"))));
        await("every count visible").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> curl(entry.ns, "-s", entry.url("/state/keyvalues/word-count/all")).equals(allJson()));
    }

    @AfterAll
    void stop() {
        nodes.values().forEach(n -> n.process.destroy());
        if (broker != null) {
            broker.destroy();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void shouldReadNearbyWithMaxLagRideOutAPartitionAndReturnToTheOwnersAfterIt() throws Exception {
        Node green0 = nodes.get("green-0");
        Node green1 = nodes.get("green-1");
        Map<String, List<String>> holders = new TreeMap<>();
        for (int w = 0; w < WORDS; w++) {
            holders.put(word(w), holdersOf(green0, word(w)));
        }
        // Keys owned in red with their standby at green-1, asked at green-0 (a hop inside green is the nearest copy),
        // and keys owned by green-1 asked at green-0 (a plain hop inside green), for reference.
        List<String> redOwned = holders.entrySet().stream().filter(e -> clusterOf(e.getValue().get(0)).equals("red")
                && e.getValue().contains(green1.address())).map(Map.Entry::getKey).toList();
        List<String> greenHop = holders.entrySet().stream().filter(e -> e.getValue().get(0).equals(green1.address()))
                .map(Map.Entry::getKey).toList();
        assertThat(redOwned).as("keys owned in red with a standby at green-1").isNotEmpty();
        assertThat(greenHop).as("keys owned at green-1").isNotEmpty();
        // The standbys' lags are known from the peers' reports (every second here).
        await("standby lags known").atMost(Duration.ofSeconds(30)).until(() ->
                curl(green0.ns, "-s", green0.url("/state/instance/word-count/" + redOwned.get(0))).contains("offsetLag"));

        // Warm every path first (the JIT compiles each after some load), then measure.
        probe(green0, greenHop, "", 300);
        probe(green0, redOwned, "?maxLag=100", 300);
        probe(green0, redOwned, "", 300);
        Probe inGreen = probe(green0, greenHop, "", 400);
        Probe nearby = probe(green0, redOwned, "?maxLag=100", 400);
        Probe owner = probe(green0, redOwned, "", 400);
        System.out.printf("APART delay=10ms hopInsideGreen p50=%.2fms | red-owned with maxLag p50=%.2fms servedInGreen=%d/%d"
                        + " | red-owned without p50=%.2fms servedInRed=%d/%d%n", inGreen.p50, nearby.p50,
                nearby.servedIn("green"), nearby.n(), owner.p50, owner.servedIn("red"), owner.n());
        assertThat(inGreen.correct()).isEqualTo(inGreen.n());
        assertThat(nearby.correct()).isEqualTo(nearby.n());
        assertThat(owner.correct()).isEqualTo(owner.n());
        assertThat(nearby.servedIn("green")).as("a fresh enough copy in this cluster answers").isEqualTo(nearby.n());
        assertThat(nearby.p50).as("as fast as a hop inside the cluster").isLessThanOrEqualTo(inGreen.p50 + 2.0);
        assertThat(owner.servedIn("red")).as("without maxLag the owner answers").isEqualTo(owner.n());

        // A 60 s partition between the clusters. Every key is asked at green-0 from 2 s on; "all" and pages meanwhile.
        List<String> every = new ArrayList<>(holders.keySet());
        Map<String, Long> logBefore = new HashMap<>();
        for (Node node : nodes.values()) {
            logBefore.put(node.name, Files.size(node.log));
        }
        net.partition();
        long cut = System.nanoTime();
        probe(green0, every, "", 2.0);
        CompletableFuture<List<String>> wholeStore = CompletableFuture.supplyAsync(() -> wholeStoreReads(green0, 45));
        Probe during = probe(green0, every, "", 48.0);
        List<String> wholeProblems = wholeStore.get();
        String metrics = curl(green0.ns, "-s", "http://" + green0.ip + ":" + green0.management + "/observe/metrics");
        await().pollDelay(Duration.ofNanos(Math.max(1, cut + 60_000_000_000L - System.nanoTime()))).until(() -> true);
        net.heal();
        long healed = System.nanoTime();
        String key = redOwned.get(0);
        String redOwner = holders.get(key).get(0);
        await("hops to the owner in red again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> redOwner.equals(servedBy(green0, key)));
        double backAfterS = (System.nanoTime() - healed) / 1e9;
        System.out.printf("APART partition=60s from+2s requests=%d correct=%d p50=%.2fms p99=%.2fms max=%.2fms "
                        + "wholeStoreProblems=%d | owners answer again %.1f s after healing%n", during.n(), during.correct(),
                during.p50, during.p99, during.max, wholeProblems.size(), backAfterS);

        assertThat(during.correct()).as("every key has a reachable copy and answers correctly").isEqualTo(during.n());
        assertThat(during.n()).isGreaterThan(500);
        assertThat(during.p99).as("no timeouts paid per request").isLessThanOrEqualTo(50.0);
        assertThat(wholeProblems).as("pages and all, complete from standbys").isEmpty();
        assertThat(metrics).as("the partition is in the metrics").containsPattern(
                "wordcount_iq_peer_reachable\\{cluster=\"red\",host=\"" + Pattern.quote(net.red(0)) + ":8080\"[^}]*} 0\\.0");
        assertThat(backAfterS).as("hops to the owners resume").isLessThanOrEqualTo(10.0);
        for (Node node : nodes.values()) {
            for (Node other : nodes.values()) {
                if (!other.cluster().equals(node.cluster())) {
                    String down = "Peer " + other.address() + " (cluster " + other.cluster() + ") cannot be reached";
                    String back = "Peer " + other.address() + " (cluster " + other.cluster() + ") answers again";
                    // Each instance finds a peer back on its own next probe (every second), so wait for the line.
                    await(node.name + " logs that " + other.name + " is back").atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> count(logSince(node, logBefore), back) >= 1);
                    // What the instance logged from the partition on (its start may have had a slow answer or two).
                    String log = logSince(node, logBefore);
                    assertThat(count(log, down)).as("%s logs that it cannot reach %s once", node.name, other.name)
                            .isEqualTo(1);
                    assertThat(count(log, back)).as("%s logs that %s is back once", node.name, other.name)
                            .isEqualTo(1);
                }
            }
        }
    }

    private static String logSince(Node node, Map<String, Long> logBefore) throws IOException {
        return Files.readString(node.log).substring((int) (long) logBefore.get(node.name));
    }

    /** "all" and a paged walk at the node, every few seconds for this long: what was not complete and correct. */
    private List<String> wholeStoreReads(Node node, int seconds) {
        List<String> problems = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try {
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            while (System.nanoTime() < end) {
                String all = curl(node.ns, "-s", "-D", "-", node.url("/state/keyvalues/word-count/all"));
                if (!all.endsWith(allJson()) || all.contains("X-IQ-Missing")) {
                    problems.add("all: " + all.substring(0, Math.min(300, all.length())));
                }
                StringBuilder walked = new StringBuilder();
                String next = "/state/keyvalues/word-count/all?limit=50";
                while (next != null) {
                    String page = curl(node.ns, "-s", "-D", "-", node.url(next));
                    if (!page.startsWith("HTTP/1.1 200")) {
                        problems.add("page " + next + ": " + page.substring(0, Math.min(300, page.length())));
                        break;
                    }
                    walked.append(walked.length() > 0 ? "," : "").append(page, page.indexOf("\r\n\r\n[") + 5, page.length() - 1);
                    Matcher link = Pattern.compile("Link: <([^>]+)>").matcher(page);
                    next = link.find() ? link.group(1) : null;
                }
                if (!("[" + walked + "]").equals(allJson())) {
                    problems.add("pages walked: " + walked.length() + " characters, not the whole store");
                }
                await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
            }
        } catch (IOException | InterruptedException e) {
            problems.add(e.toString());
        }
        return problems;
    }

    /** The key's owner first, then its standbys, as the node's metadata says. */
    private List<String> holdersOf(Node node, String key) throws IOException, InterruptedException {
        Matcher m = HOLDERS.matcher(curl(node.ns, "-s", node.url("/state/instance/word-count/" + key)));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + ":" + m.group(2));
        }
        return out;
    }

    private String clusterOf(String address) {
        return nodes.values().stream().filter(n -> n.address().equals(address)).map(Node::cluster).findFirst().orElse("");
    }

    private String servedBy(Node node, String key) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?i)X-IQ-Served-By: (\\S+)").matcher(curl(node.ns, "-s", "-D", "-", "-o",
                "/dev/null", "--max-time", "3", node.url("/state/keyvalue/word-count/" + key)));
        return m.find() ? m.group(1) : null;
    }

    /** What NetProbe saw asking these keys at the node, round and round, for a while (seconds) or n times. */
    private Probe probe(Node node, List<String> keys, String query, double howMuch) throws Exception {
        Path urls = Files.createTempFile(work, "urls", ".txt");
        Path log = Files.createTempFile(work, "probe", ".log");
        Files.write(urls, keys.stream().map(k -> node.url("/state/keyvalue/word-count/" + k + query)).toList());
        String line = net.probe(node.ns, "--urls", urls.toString(), howMuch >= 100 ? "--count" : "--duration",
                howMuch >= 100 ? Long.toString((long) howMuch) : Double.toString(howMuch), "--concurrency", "2",
                "--timeout", "5000", "--log", log.toString());
        List<String[]> rows = Files.readAllLines(log).stream().map(l -> l.split("\t", 7)).toList();
        int correct = 0;
        Map<String, Integer> servedByCluster = new HashMap<>();
        for (String[] r : rows) {
            String key = r[1].substring(r[1].lastIndexOf('/') + 1).replaceAll("\\?.*", "");
            if (r[2].equals("200") && r[6].equals("{\"key\":\"" + key + "\",\"value\":" + LINES_PER_WORD + "}")) {
                correct++;
            }
            servedByCluster.merge(clusterOf(r[4]), 1, Integer::sum);
        }
        return new Probe(rows.size(), correct, servedByCluster, value(line, "p50"), value(line, "p99"), value(line, "max"));
    }

    private record Probe(int n, int correct, Map<String, Integer> served, double p50, double p99, double max) {
        int servedIn(String cluster) {
            return served.getOrDefault(cluster, 0);
        }
    }

    private static double value(String probeLine, String name) {
        Matcher m = Pattern.compile(name + "=([0-9.]+)ms").matcher(probeLine);
        assertThat(m.find()).as(probeLine).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private String curl(String ns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = net.command(ns, cmd.toArray(String[]::new)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private void startBroker() throws Exception {
        Path dir = work.resolve("broker");
        Files.createDirectories(dir);
        String ip = net.kafka();
        Files.writeString(dir.resolve("server.properties"), Files.readString(Path.of("scripts", "lib", "broker.properties"))
                .replace("localhost:@CONTROLLER_PORT@", ip + ":9093").replace("localhost:@PORT@", ip + ":9092")
                .replace("@LOG_DIRS@", dir.resolve("data").toString()));
        Process format = new ProcessBuilder(Jvm.java(), "-cp", Jvm.libClasspath(), "kafka.tools.StorageTool", "format",
                "-t", org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", dir.resolve("server.properties").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        assertThat(format.waitFor()).isZero();
        broker = net.command("kafka", Jvm.java(), "-Xmx512m", "-cp", Jvm.libClasspath(), "kafka.Kafka",
                dir.resolve("server.properties").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.log").toFile()).start();
        await("broker listens").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                net.command("kafka", "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/9092").start().waitFor() == 0);
    }

    private void startNode(String name, String cluster, String ip, int management) throws IOException {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        ProcessBuilder pb = net.command(cluster, Jvm.java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                Path.of("target", "wordcount-iq.jar").toAbsolutePath().toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.equals("APPLICATION_SERVER"));
        pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", net.kafka() + ":9092", "APPLICATION_SERVER",
                ip + ":8080", "HTTP_HOST", ip, "HTTP_PORT", "8080", "MANAGEMENT_PORT", Integer.toString(management),
                "CLUSTER_NAME", cluster, "FORWARD_SECRET", SECRET, "NUM_STANDBY_REPLICAS", "1", "TOPIC_PARTITIONS", "4",
                "STATE_DIR", dir.resolve("state").toString()));
        pb.environment().putAll(Map.of("PEER_LAGS_INTERVAL_MS", "1000", "ROUTES_DIR",
                Path.of("routes").toAbsolutePath().toString(), "ROUTES_RELOAD_INTERVAL_MS", "0"));
        Path log = dir.resolve("instance.log");
        Process process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        nodes.put(name, new Node(name, cluster, ip, management, process, log));
    }

    private static String word(int w) {
        return String.format("w%03d", w);
    }

    private static String allJson() {
        StringBuilder sb = new StringBuilder("[");
        for (int w = 0; w < WORDS; w++) {
            sb.append(w > 0 ? "," : "").append("{\"key\":\"").append(word(w)).append("\",\"value\":").append(LINES_PER_WORD)
                    .append('}');
        }
        return sb.append(']').toString();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
