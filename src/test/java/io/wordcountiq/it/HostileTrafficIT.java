package io.wordcountiq.it;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.PathSegments;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.wire.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an attacker (or a careless client) can do to two real instance JVMs over real sockets, case by case of the
 * issue "Hostile traffic, round two": bodies never read before the request is admitted, slots released by clients
 * that stall or vanish, control values only from headers, tokens that never stall unrelated reads, one key length
 * from ingest to cursor, and the smaller doors (log escaping, oversized lines, build info, header and idle timeouts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileTrafficIT {

    private static final String INGEST_TOKEN = "hostile-ingest-token-" + java.util.UUID.randomUUID();
    private static final int KIB = 1024;
    private static final int STILL_READING = -1;
    private static final int CLOSED_QUIETLY = -2;
    private static final Pattern PARTITION = Pattern.compile("\"partition\":(\\d+)");

    private final List<InstanceProcess> instances = new ArrayList<>();
    private LocalCluster cluster;

    @BeforeAll
    void startTwoInstances() {
        cluster = startCluster();
        instances.addAll(cluster.startReady(2, LocalCluster.wordCount(
                "INGEST_TOKEN", INGEST_TOKEN,
                // Four bodies of 1 MiB at most are buffered at once; the admission bound of ingest is far above it.
                "UPLOAD_BUFFER_BYTES", Integer.toString(4 * KIB * KIB),
                "ADMIT_INGEST", "1000",
                "BODY_TIMEOUT_MS", "30000",
                // A line of 1.5 MB passes the body bound and reaches Kafka, whose default request bound is 1 MiB.
                "MAX_BODY_BYTES", Integer.toString(2 * KIB * KIB),
                "WRITE_TIMEOUT_MS", "3000",
                "HEADER_TIMEOUT_MS", "2000",
                "IDLE_TIMEOUT_MS", "3000",
                "ACCESS_LOG", "true")));
        Reply seeded = post(instances.get(0), "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu");
        assertThat(seeded.status()).as(seeded.body()).isEqualTo(202);
        // Every seeded word counted, as both instances see the whole store.
        for (InstanceProcess instance : instances) {
            await().atMost(Duration.ofSeconds(30)).until(() -> count(Http.get(instance.url(
                    "/state/keyvalues/word-count/all?strict=true")).body(), "\"key\"") == 12);
        }
    }

    private static LocalCluster startCluster() {
        try {
            return LocalCluster.start("hostile-traffic-it");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** 22.1: 300 unauthenticated 1 MiB posts held open, then 300 authenticated ones, then GETs with bodies. */
    @Test
    @Order(1)
    void shouldDecideAnUploadBeforeReadingItsBodyAndBoundTheBytesBufferedAtOnce() throws Exception {
        InstanceProcess target = instances.get(0);
        byte[] chunk = new byte[960 * KIB];
        java.util.Arrays.fill(chunk, (byte) 'a');

        List<HeldUpload> anonymous = holdUploads(target, 300, "POST", "/lines", "", chunk);
        List<Integer> anonymousStatus = statuses(anonymous);
        assertStillServing(target, "while 300 unauthenticated 1 MiB uploads are held open");
        closeAll(anonymous);
        assertThat(anonymousStatus).as("every unauthenticated upload is refused before its body is read")
                .containsOnly(401);

        List<HeldUpload> authorised = holdUploads(target, 300, "POST", "/lines",
                "Authorization: Bearer " + INGEST_TOKEN + "\r\n", chunk);
        List<Integer> authorisedStatus = statuses(authorised);
        assertStillServing(target, "while 300 authenticated 1 MiB uploads are held open");
        long refused = authorisedStatus.stream().filter(s -> s == 503).count();
        System.out.printf("HOSTILE uploads: 300 unauthenticated -> %s; 300 authenticated -> %s (-1: body still being read, -2: closed without an answer)%n",
                summary(anonymousStatus), summary(authorisedStatus));
        assertThat(refused).as("past UPLOAD_BUFFER_BYTES (four bodies of 1 MiB) uploads are refused, nothing read")
                .isGreaterThanOrEqualTo(296);
        assertThat(authorisedStatus).as("the others are read, until the client stops sending for IDLE_TIMEOUT_MS")
                .filteredOn(s -> s != 503).allMatch(s -> s == STILL_READING || s == CLOSED_QUIETLY);
        closeAll(authorised);
        // The budget comes back when the clients go: an ordinary post is written.
        await("an upload is taken again").atMost(Duration.ofSeconds(10)).until(() -> post(target, "afterupload").status() == 202);

        List<HeldUpload> gets = holdUploads(target, 100, "GET", "/state/keyvalue/word-count/alpha", "", chunk);
        List<Integer> getStatus = statuses(gets);
        assertStillServing(target, "while 100 GETs with 1 MiB bodies are held open");
        closeAll(gets);
        assertThat(getStatus).as("a GET is answered without its body being read").containsOnly(200);
        assertThat(target.log()).doesNotContain("OutOfMemoryError");
    }

    /** 22.2: clients that read the status line of an unpaged "all" and stall, or reset, give their slots back. */
    @Test
    @Order(3)
    void shouldReleaseWholeStoreSlotsOfClientsThatStallOrVanish() throws Exception {
        InstanceProcess asked = instances.get(0);
        // A store whose "all" answer (about 6 MB) is far larger than what socket buffers hold.
        int words = 200_000;
        for (int batch = 0; batch < 4; batch++) {
            StringBuilder body = new StringBuilder();
            for (int i = batch * words / 4; i < (batch + 1) * words / 4; i++) {
                body.append(String.format("st%07d", i)).append(i % 1000 == 999 ? '\n' : ' ');
            }
            Reply r = post(asked, body.toString());
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }
        await("all words counted").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                count(Http.get(asked.url("/state/keyvalues/word-count/all")).body(), "\"key\":\"st") == words);

        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stalled.add(askAllAndStall(asked));
        }
        Reply full = Http.get(asked.url("/state/keyvalues/word-count/all"));
        assertThat(full.status()).as("the four stalled answers hold every slot for now").isEqualTo(503);
        // WRITE_TIMEOUT_MS is 3 s: a client that reads nothing for that long is cut off, its slot back.
        await("slots released while the stalled clients still hold their connections").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250)).until(() -> wholeStoreInFlight(asked) == 0);
        Reply during = Http.get(asked.url("/state/keyvalues/word-count/all"));
        assertThat(during.status()).as(during.body().substring(0, Math.min(200, during.body().length()))).isEqualTo(200);
        assertThat(count(during.body(), "\"key\":\"st")).isEqualTo(words);
        for (Socket socket : stalled) {
            socket.close();
        }
        // Clients that reset the connection mid-answer give their slots back at once.
        for (int i = 0; i < 4; i++) {
            Socket socket = askAllAndStall(asked);
            socket.setSoLinger(true, 0);
            socket.close();
        }
        await("slots of reset connections released").atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(100)).until(() -> wholeStoreInFlight(asked) == 0);
        for (int i = 0; i < 8; i++) {
            Reply r = Http.get(asked.url("/state/keyvalues/word-count/range/st0000000/st0000099"));
            assertThat(r.status()).as("an unpaged range after the stalls: " + r.body()).isEqualTo(200);
            assertThat(count(r.body(), "\"key\"")).isEqualTo(100);
        }
        for (InstanceProcess instance : instances) {
            assertThat(wholeStoreInFlight(instance)).as(instance.name()).isZero();
        }
    }

    /** 22.3: control values in the query string are not control values: no bounce, no false partial answer. */
    @Test
    @Order(2)
    void shouldNeverTakeAControlValueFromTheQueryString() throws Exception {
        InstanceProcess asked = instances.get(0);
        InstanceProcess peer = instances.get(1);
        String plain = Http.get(asked.url("/state/keyvalues/word-count/all")).body();
        assertThat(plain).contains("\"key\":\"alpha\"");
        for (String query : List.of("X-IQ-Forwarded=x", "X-IQ-Hops=1", "X-IQ-Forwarded=x&X-IQ-Hops=0",
                "x-iq-forwarded=99999999999999.forged")) {
            int before = count(peer.log(), "GET /state/keyvalues/word-count/all");
            Reply reply = Http.get(asked.url("/state/keyvalues/word-count/all?" + query));
            assertThat(reply.status()).as(query).isEqualTo(200);
            assertThat(reply.body()).as(query).isEqualTo(plain);
            assertThat(reply.header("X-IQ-Missing")).as(query).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> count(peer.log(), "GET /state/keyvalues/word-count/all") > before);
            assertThat(count(peer.log(), "GET /state/keyvalues/word-count/all") - before)
                    .as("the peer is asked for its part once: " + query).isEqualTo(1);
        }
        Reply hops = Http.get(asked.url("/state/keyvalue/word-count/alpha"), "X-IQ-Hops", "1");
        assertThat(hops.status()).as("a hop count in a header, without a mark").isEqualTo(403);
        assertThat(hops.body()).contains("\"error\":");
    }

    /** 22.4: a write's token never makes a read of another partition wait; partitions that do not exist are 400. */
    @Test
    @Order(2)
    void shouldNotStallReadsOfOtherPartitionsBehindAWriteToken() {
        InstanceProcess writer = instances.get(0);
        InstanceProcess reader = instances.get(1);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            line.append("tk").append(i).append(' ');
        }
        assertThat(post(writer, line.toString()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(reader.url("/state/keyvalue/word-count/tk79")).status() == 200);

        Reply written = post(writer, "tokenword");
        assertThat(written.status()).isEqualTo(202);
        String token = written.header("X-IQ-Token");
        int writtenPartition = partitionOf(reader, "tokenword");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 80 && others.size() < 50; i++) {
            if (partitionOf(reader, "tk" + i) != writtenPartition) {
                others.add("tk" + i);
            }
        }
        assertThat(others).hasSize(50);
        // The same question without the token, for the time a plain read takes here.
        long[] plainMs = readAll(reader, others, null);
        long[] tokenMs = readAll(reader, others, token);
        // A token of an earlier version names no touched partitions: every partition is covered once it has all the
        // token's writes, which for a partition without new records (only a transaction marker after them) is at once.
        Tokens tokens = new Tokens(List.of(LocalCluster.FORWARD_SECRET));
        ConsistencyToken decoded = tokens.decode(token);
        String untouched = tokens.encode(new ConsistencyToken(decoded.writes(), null, decoded.positions()));
        long[] oldTokenMs = readAll(reader, others, untouched);
        System.out.printf("HOSTILE token reads of 50 keys in other partitions: plain max=%d ms, with the write's token "
                + "max=%d ms, with a token without touched partitions max=%d ms%n", plainMs[1], tokenMs[1], oldTokenMs[1]);
        long commitIntervalMs = 100;
        assertThat(tokenMs[1]).as("within the plain read time and a commit interval")
                .isLessThanOrEqualTo(plainMs[1] + commitIntervalMs + 200);
        assertThat(oldTokenMs[1]).isLessThanOrEqualTo(plainMs[1] + commitIntervalMs + 200);

        for (ConsistencyToken bad : List.of(ConsistencyToken.written(Map.of(99, 5L), Set.of(99)),
                new ConsistencyToken(Map.of(), Set.of(), Map.of(99, 5L)))) {
            long t0 = System.nanoTime();
            Reply r = Http.get(reader.url("/state/keyvalue/word-count/tk1"), "X-IQ-Token", tokens.encode(bad));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("99");
            assertThat(ms).as("answered at once").isLessThan(1500);
        }
    }

    /** 22.5: one length rule from ingest to cursor, and a bounded Link header. */
    @Test
    @Order(2)
    void shouldRefuseOverlongWordsAtIngestAndWalkPagesThroughTheLongestKeys() {
        InstanceProcess asked = instances.get(0);
        String tooLong = "x".repeat(300);
        Reply refused = post(asked, "fine words " + tooLong);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("256").contains("xxxxxxxx");
        Reply huge = post(asked, "y".repeat(200_000));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body().length()).as("the error names the word, briefly").isLessThan(1000);
        assertThat(Http.get(asked.url("/state/keyvalue/word-count/fine")).status())
                .as("a refused line writes nothing").isEqualTo(404);

        // The longest keys allowed, in the slowest forms to encode: 256 letters, 256 two-byte letters.
        List<String> longest = List.of("l".repeat(256), "é".repeat(256), "lz" + "ü".repeat(254));
        assertThat(post(asked, String.join(" ", longest)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(asked.url("/state/keyvalue/word-count/" + PathSegments.encode(longest.get(1)))).status() == 200);
        String next = "/state/keyvalues/word-count/range/l/" + PathSegments.encode("ü") + "?limit=1";
        List<String> seen = new ArrayList<>();
        while (next != null) {
            Reply page = Http.get(asked.url(next));
            assertThat(page.status()).as(next + " " + page.body()).isEqualTo(200);
            String link = page.header("Link");
            if (link != null) {
                assertThat(link.length()).as("a bounded Link header").isLessThanOrEqualTo(4096);
            }
            Matcher key = Pattern.compile("\"key\":\"([^\"]+)\"").matcher(page.body());
            while (key.find()) {
                seen.add(key.group(1));
            }
            next = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        assertThat(seen).as("every long key walked through, none refused by the service's own links")
                .containsAll(longest);
    }

    /** 22.7: the access log escapes control characters of the request line. */
    @Test
    @Order(2)
    void shouldEscapeControlCharactersInTheAccessLog() throws Exception {
        InstanceProcess asked = instances.get(1);
        int before = asked.log().length();
        byte[] line = "GET /state/keyvalue/word-count/ab?q=\u001b[31mred\u0085nel\u2028sep HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("localhost", asked.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(line);
            statusLine(socket.getInputStream());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.log().substring(before).contains("word-count/ab"));
        String logged = asked.log().substring(before);
        assertThat(logged).doesNotContain("\u001b").doesNotContain("\u0085").doesNotContain("\u2028");
        assertThat(logged).contains("\\u001b[31mred");
    }

    /** 22.7: a line larger than Kafka takes is a 413 with the limit, and ingest goes on. */
    @Test
    @Order(2)
    void shouldAnswerALineTooLargeForKafkaWith413AndKeepIngesting() throws Exception {
        InstanceProcess asked = instances.get(1);
        String line = "ab ".repeat(500_000);
        Reply r = post(asked, line);
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("\"error\":").contains("1048576");
        assertThat(Http.get(asked.managementUrl("/observe/health/ready")).status()).isEqualTo(200);
        assertThat(post(asked, "aftertoolarge").status()).isEqualTo(202);
        assertThat(asked.log()).doesNotContain("Kafka cannot be reached");
    }

    /** 22.7: /observe/info names the build only. */
    @Test
    @Order(2)
    void shouldNameTheBuildOnlyInObserveInfo() {
        Reply info = Http.get(instances.get(0).managementUrl("/observe/info"));
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body()).contains("\"version\"").contains("\"built\"");
        for (String revealing : List.of(System.getProperty("user.home"), System.getProperty("user.name"),
                System.getProperty("os.version"), System.getProperty("user.dir"), "pid", "\"host")) {
            assertThat(info.body()).as(revealing).doesNotContain(revealing);
        }
    }

    /** 22.7: connections that trickle headers, or sit idle, are closed quietly. */
    @Test
    @Order(2)
    void shouldCloseSlowHeaderAndIdleConnections() throws Exception {
        InstanceProcess asked = instances.get(1);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Socket socket = new Socket("localhost", asked.httpPort());
            socket.getOutputStream().write("GET /state/keyvalue/word-count/alpha HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            slow.add(socket);
        }
        Socket idle = new Socket("localhost", asked.httpPort());
        idle.getOutputStream().write("GET /state/keyvalue/word-count/alpha HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        idle.setSoTimeout(5_000);
        assertThat(statusLine(idle.getInputStream())).startsWith("HTTP/1.1 200");
        long start = System.nanoTime();
        for (Socket socket : slow) {
            socket.setSoTimeout(6_000);
            assertThat(socket.getInputStream().read()).as("closed without an answer (HEADER_TIMEOUT_MS 2000)").isEqualTo(-1);
        }
        double slowClosedS = (System.nanoTime() - start) / 1e9;
        idle.setSoTimeout(8_000);
        byte[] rest = idle.getInputStream().readAllBytes();
        double idleClosedS = (System.nanoTime() - start) / 1e9;
        System.out.printf("HOSTILE timeouts: 40 slow-header connections closed after %.1f s, an idle one after %.1f s%n",
                slowClosedS, idleClosedS);
        assertThat(new String(rest, StandardCharsets.ISO_8859_1)).as("the rest of the answer, then a quiet close")
                .doesNotContain("HTTP/1.1");
        assertThat(slowClosedS).isLessThan(5.0);
        for (Socket socket : slow) {
            socket.close();
        }
        idle.close();
        assertStillServing(asked, "after the timeouts");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record HeldUpload(Socket socket, Future<Integer> status) {
    }

    /** Opens {@code n} connections that each declare 1 MiB, send {@code chunk} and keep the connection open. */
    private static List<HeldUpload> holdUploads(InstanceProcess target, int n, String method, String path,
                                                String headers, byte[] chunk) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(2 * n);
        List<HeldUpload> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket socket = new Socket("localhost", target.httpPort());
            socket.setSoTimeout(15_000);
            byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                    + "Content-Type: text/plain\r\nContent-Length: " + (KIB * KIB) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            pool.submit(() -> {
                try {
                    socket.getOutputStream().write(head);
                    socket.getOutputStream().write(chunk);
                } catch (IOException e) {
                    // The server answered and closed without reading: just what it should do.
                }
                return null;
            });
            held.add(new HeldUpload(socket, pool.submit(() -> {
                try {
                    String line = statusLine(socket.getInputStream());
                    return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : CLOSED_QUIETLY;
                } catch (SocketTimeoutException e) {
                    return STILL_READING;
                } catch (SocketException e) {
                    return -3;
                }
            })));
        }
        pool.shutdown();
        return held;
    }

    /** Each upload's status, {@link #STILL_READING} after 15 s without an answer, or {@link #CLOSED_QUIETLY}. */
    private static List<Integer> statuses(List<HeldUpload> held) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (HeldUpload h : held) {
            out.add(h.status().get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    private static void closeAll(List<HeldUpload> held) throws IOException {
        for (HeldUpload h : held) {
            h.socket().close();
        }
    }

    /** Asks for "all" with a tiny receive buffer, reads the status line and then nothing more. */
    private static Socket askAllAndStall(InstanceProcess asked) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4 * KIB);
        socket.connect(new java.net.InetSocketAddress("localhost", asked.httpPort()), 2000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /state/keyvalues/word-count/all HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 200");
        return socket;
    }

    private static String summary(List<Integer> statuses) {
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        statuses.forEach(s -> byStatus.merge(s, 1L, Long::sum));
        return byStatus.toString();
    }

    private static void assertStillServing(InstanceProcess target, String when) {
        long t0 = System.nanoTime();
        assertThat(Http.get(target.managementUrl("/observe/health/live")).status()).as("live " + when).isEqualTo(200);
        assertThat(Http.get(target.url("/state/keyvalue/word-count/alpha")).status()).as("answers " + when).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("promptly " + when).isLessThan(2000);
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString().trim();
    }

    private static Reply post(InstanceProcess instance, String lines) {
        return Http.post(instance.url("/lines"), "text/plain", lines, "Authorization", "Bearer " + INGEST_TOKEN);
    }

    private static int wholeStoreInFlight(InstanceProcess instance) {
        String metrics = Http.get(instance.managementUrl("/observe/metrics")).body();
        Matcher m = Pattern.compile("wordcount_iq_requests_in_flight\\{class=\"(whole_store|parts)\"[^}]*} ([0-9.]+)")
                .matcher(metrics);
        int sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += (int) Double.parseDouble(m.group(2));
            found = true;
        }
        assertThat(found).as("the in-flight gauges are in the metrics").isTrue();
        return sum;
    }

    private static int partitionOf(InstanceProcess instance, String word) {
        Matcher m = PARTITION.matcher(Http.get(instance.url("/state/instance/word-count/" + word)).body());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Reads each key (with the token, if any); {median, max} in ms, every answer checked to be a 200. */
    private static long[] readAll(InstanceProcess instance, List<String> keys, String token) {
        long[] ms = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            long t0 = System.nanoTime();
            Reply r = token == null ? Http.get(instance.url("/state/keyvalue/word-count/" + keys.get(i)))
                    : Http.get(instance.url("/state/keyvalue/word-count/" + keys.get(i)), "X-IQ-Token", token);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).as(keys.get(i) + " " + r.body()).isEqualTo(200);
        }
        java.util.Arrays.sort(ms);
        return new long[] {ms[ms.length / 2], ms[ms.length - 1]};
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
