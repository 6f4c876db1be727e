import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.TopicInitializer;
import io.wordcountiq.streams.WordCountTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The benchmark floor: no Camel. The JDK HttpServer answers from a local Kafka Streams store that runs the
 * service's own word-count topology (same Streams settings) under its own application id, so it holds every key.
 * Forwarding mode (FLOOR_PEER set): two floors share one application id, so each holds some partitions; a key whose
 * active host is the other floor is sent there with one shared non-blocking Vert.x HttpClient (HTTP/1.1, keep-alive,
 * pooled, on two event loops of its own; faster here than java.net.http.HttpClient, which made a floor the service's
 * hop outran 3.8 times), and the handler's thread answers when the reply is in; the hop carries X-Floor-Forwarded, and a floor that receives it answers from its own store. The key's
 * metadata is read per request, as in the single floor (a per-partition cache made no measurable difference).
 *
 * Run (from the repository root, after mvn package):
 *   java -Dsun.net.httpserver.nodelay=true -cp "target/classes:target/lib/*" bench/floor/FloorServer.java
 * Env: KAFKA_BOOTSTRAP_SERVERS, HTTP_PORT (8090), STATE_DIR, APPLICATION_ID (wordcount-iq-floor), TOPIC_PARTITIONS (4),
 *      FLOOR_THREADS (16), FLOOR_PEER (host:port of the other floor: forwarding mode; its APPLICATION_ID must match).
 *
 * GET /state/keyvalue/word-count/{key}           one key, read from its partition (as the service does)
 * GET /state/instance/word-count/{key}           {"host":..,"port":..,"partition":..}: the key's active host
 * GET /state/keyvalues/word-count/all[?partitions=0,2]   every local key (of those partitions only), sorted
 * GET /state/keyvalues/word-count/range/{from}/{to}
 * GET /state/keyvalues/word-count/page?limit=N[&after=K]   FLOOR ONLY (no such path in the service): a keyset page
 *     of the whole store read in this one JVM: limit + 1 keys after K from each local partition, merged, the first N;
 *     Link: <...>; rel="next" unless it is the last page (the service's pages, without Camel and without hops;
 *     merged in String order, which is the stores' byte order for the bench's ASCII keys)
 * GET /state/windowed/windowed-word-count/{key}/{from}/{to}
 * GET /ready                                      200 once Streams is RUNNING (and, with FLOOR_PEER, lists the peer)
 */
public class FloorServer {

    private static final Serializer<String> KEYS = Serdes.String().serializer();
    private static KafkaStreams streams;
    private static int PARTITIONS;

    /** Forwarding mode: the header a hop carries (the receiver answers from its own store, never forwards). */
    private static final String FORWARDED = "X-Floor-Forwarded";
    private static HostInfo SELF;
    private static HostInfo PEER;          // null: single floor, every key answered here
    private static HttpClient CLIENT;      // forwarding mode: one shared client for every hop

    /** A default of the service itself, from its one home: application.properties on the class path. */
    private static String shippedDefault(String key) throws java.io.IOException {
        Properties shipped = new Properties();
        try (var in = FloorServer.class.getClassLoader().getResourceAsStream("application.properties")) {
            shipped.load(in);
        }
        return shipped.getProperty(key);
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        int port = Integer.parseInt(env("HTTP_PORT", "8090"));
        String input = env("INPUT_TOPIC", shippedDefault("input.topic"));
        String output = env("OUTPUT_TOPIC", "word-count-floor-output");
        String windowedOutput = env("WINDOWED_OUTPUT_TOPIC", "windowed-word-count-floor-output");

        Properties admin = new Properties();
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        PARTITIONS = Integer.parseInt(env("TOPIC_PARTITIONS", "4"));
        TopicInitializer.ensureTopics(admin, input, output, windowedOutput, Duration.ofDays(1).toMillis(), PARTITIONS,
                (short) 1);

        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, env("APPLICATION_ID", "wordcount-iq-floor"));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
        SELF = new HostInfo("localhost", port);
        String peer = env("FLOOR_PEER", "");
        if (!peer.isEmpty()) {
            int colon = peer.lastIndexOf(':');
            PEER = new HostInfo(peer.substring(0, colon), Integer.parseInt(peer.substring(colon + 1)));
            CLIENT = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)).createHttpClient(new HttpClientOptions()
                    .setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(2000), new PoolOptions().setHttp1MaxSize(64));
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, env("STATE_DIR", System.getProperty("java.io.tmpdir") + "/wordcount-iq-floor"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        streams = new KafkaStreams(WordCountTopology.build(input, output, windowedOutput, Duration.ofMinutes(1),
                Duration.ofDays(1), props), props);
        streams.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(10))));

        HttpServer server = HttpServer.create(new InetSocketAddress(port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(Integer.parseInt(env("FLOOR_THREADS", "16"))));
        server.createContext("/ready", ex -> send(ex, ready() ? 200 : 503, "{}"));
        server.createContext("/state/keyvalue/word-count/", FloorServer::keyValue);
        server.createContext("/state/instance/word-count/", FloorServer::instance);
        server.createContext("/state/keyvalues/word-count/", FloorServer::keyValues);
        server.createContext("/state/windowed/windowed-word-count/", FloorServer::windowed);
        server.start();
        System.out.println("floor listening on " + port + (PEER == null ? "" : ", forwarding to " + PEER));
    }

    private static boolean ready() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        return PEER == null || streams.metadataForAllStreamsClients().stream().anyMatch(m -> m.hostInfo().equals(PEER));
    }

    private static void keyValue(HttpExchange ex) throws IOException {
        try {
            String key = decode(ex.getRequestURI().getRawPath().substring("/state/keyvalue/word-count/".length()));
            KeyQueryMetadata md = streams.queryMetadataForKey(Names.WORD_COUNT_STORE, key, KEYS);
            if (PEER != null && md.activeHost().port() > 0 && !md.activeHost().equals(SELF)
                    && !ex.getRequestHeaders().containsKey(FORWARDED)) {
                forward(ex, md.activeHost());
                return;
            }
            Long value = streams.store(StoreQueryParameters.fromNameAndType(Names.WORD_COUNT_STORE,
                    QueryableStoreTypes.<String, Long>keyValueStore()).withPartition(md.partition())).get(key);
            if (value == null) {
                send(ex, 404, "{\"status\":404,\"error\":\"not found\"}");
            } else {
                send(ex, 200, "{\"key\":\"" + json(key) + "\",\"value\":" + value + "}");
            }
        } catch (RuntimeException e) {
            send(ex, 503, "{\"status\":503,\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** The hop: sent asynchronously; the exchange is answered when the peer's reply completes (no thread waits). */
    private static void forward(HttpExchange ex, HostInfo owner) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(owner.host())
                .setPort(owner.port()).setURI(ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query))
                .putHeader(FORWARDED, "1");
        // The handler's thread waits for the reply and answers: the JDK HttpServer takes a connection's next request
        // only after its dispatcher sees the exchange closed, which an answer from another thread delays by up to its
        // 1 s select tick at one connection (measured: 1 to 300 forwarded hits per second at c=1 that way).
        Object[] reply;
        try {
            reply = CLIENT.request(request).compose(r -> r.send()).compose(resp -> resp.body()
                    .map(body -> new Object[] {resp.statusCode(), body.getBytes()})).toCompletionStage()
                    .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            send(ex, 502, ("{\"status\":502,\"error\":\"" + e.getClass().getSimpleName() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, (Integer) reply[0], (byte[]) reply[1]);
    }

    /** The key's active host and partition, as the service's GET /state/instance/{store}/{key} names them. */
    private static void instance(HttpExchange ex) throws IOException {
        try {
            String key = decode(ex.getRequestURI().getRawPath().substring("/state/instance/word-count/".length()));
            KeyQueryMetadata md = streams.queryMetadataForKey(Names.WORD_COUNT_STORE, key, KEYS);
            send(ex, 200, "{\"host\":\"" + json(md.activeHost().host()) + "\",\"port\":" + md.activeHost().port()
                    + ",\"partition\":" + md.partition() + "}");
        } catch (RuntimeException e) {
            send(ex, 503, "{\"status\":503,\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static void keyValues(HttpExchange ex) throws IOException {
        try {
            String rest = ex.getRequestURI().getRawPath().substring("/state/keyvalues/word-count/".length());
            String query = ex.getRequestURI().getRawQuery();
            Set<Integer> partitions = new HashSet<>();
            if (query != null && query.startsWith("partitions=")) {
                for (String p : query.substring("partitions=".length()).split(",")) {
                    partitions.add(Integer.parseInt(p));
                }
            }
            TreeMap<String, Long> out = new TreeMap<>();
            StoreQueryParameters<ReadOnlyKeyValueStore<String, Long>> all = StoreQueryParameters.fromNameAndType(
                    Names.WORD_COUNT_STORE, QueryableStoreTypes.keyValueStore());
            if (rest.equals("all")) {
                if (partitions.isEmpty()) {
                    drain(streams.store(all).all(), out);
                } else {
                    for (int p : partitions) {
                        drain(streams.store(all.withPartition(p)).all(), out);
                    }
                }
            } else if (rest.equals("page")) {
                page(ex, all);
                return;
            } else if (rest.startsWith("range/")) {
                String[] ft = rest.substring("range/".length()).split("/");
                drain(streams.store(all).range(decode(ft[0]), decode(ft[1])), out);
            } else {
                send(ex, 404, "{}");
                return;
            }
            StringBuilder sb = new StringBuilder(out.size() * 32).append('[');
            out.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append("{\"key\":\"").append(k)
                    .append("\",\"value\":").append(v).append('}'));
            send(ex, 200, sb.append(']').toString());
        } catch (RuntimeException e) {
            send(ex, 503, "{\"status\":503,\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** The floor's keyset page: limit + 1 keys after the cursor from every partition, merged, the first limit kept. */
    private static void page(HttpExchange ex, StoreQueryParameters<ReadOnlyKeyValueStore<String, Long>> all)
            throws IOException {
        Map<String, String> q = params(ex.getRequestURI().getRawQuery());
        int limit = Integer.parseInt(q.getOrDefault("limit", "1000"));
        String after = q.get("after");
        TreeMap<String, Long> merged = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            try (KeyValueIterator<String, Long> it = streams.store(all.withPartition(p)).range(after, null)) {
                int taken = 0;
                while (taken <= limit && it.hasNext()) {
                    KeyValue<String, Long> kv = it.next();
                    if (after == null || !kv.key.equals(after)) {
                        merged.put(kv.key, kv.value);
                        taken++;
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder(limit * 32).append('[');
        String last = null;
        int written = 0;
        for (Map.Entry<String, Long> e : merged.entrySet()) {
            if (written++ == limit) {
                break;
            }
            sb.append(last == null ? "" : ",").append("{\"key\":\"").append(e.getKey()).append("\",\"value\":")
                    .append(e.getValue()).append('}');
            last = e.getKey();
        }
        if (merged.size() > limit) {
            ex.getResponseHeaders().set("Link", "</state/keyvalues/word-count/page?limit=" + limit + "&after="
                    + java.net.URLEncoder.encode(last, StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        send(ex, 200, sb.append(']').toString());
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new HashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    out.put(kv.substring(0, eq), decode(kv.substring(eq + 1)));
                }
            }
        }
        return out;
    }

    private static void windowed(HttpExchange ex) throws IOException {
        try {
            String[] p = ex.getRequestURI().getRawPath().substring("/state/windowed/windowed-word-count/".length()).split("/");
            String key = decode(p[0]);
            KeyQueryMetadata md = streams.queryMetadataForKey(Names.WINDOWED_WORD_COUNT_STORE, key, KEYS);
            ReadOnlyWindowStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                    Names.WINDOWED_WORD_COUNT_STORE, QueryableStoreTypes.<String, Long>windowStore()).withPartition(md.partition()));
            StringBuilder sb = new StringBuilder("[");
            try (WindowStoreIterator<Long> it = store.fetch(key, Instant.ofEpochMilli(Long.parseLong(p[1])),
                    Instant.ofEpochMilli(Long.parseLong(p[2])))) {
                while (it.hasNext()) {
                    KeyValue<Long, Long> w = it.next();
                    sb.append(sb.length() > 1 ? "," : "").append("{\"key\":\"").append(json(key)).append('@').append(w.key)
                            .append("\",\"value\":").append(w.value).append('}');
                }
            }
            send(ex, 200, sb.append(']').toString());
        } catch (RuntimeException e) {
            send(ex, 503, "{\"status\":503,\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static void drain(KeyValueIterator<String, Long> it, TreeMap<String, Long> out) {
        try (it) {
            it.forEachRemaining(kv -> out.put(kv.key, kv.value));
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** s as the inside of a JSON string: itself unless it holds a quote, a backslash or a control character. */
    private static String json(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                StringBuilder sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                for (int j = i; j < s.length(); j++) {
                    char d = s.charAt(j);
                    if (d == '"' || d == '\\') {
                        sb.append('\\').append(d);
                    } else if (d < 0x20) {
                        sb.append(String.format("\\u%04x", (int) d));
                    } else {
                        sb.append(d);
                    }
                }
                return sb.toString();
            }
        }
        return s;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
