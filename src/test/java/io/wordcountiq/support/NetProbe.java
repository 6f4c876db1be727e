package io.wordcountiq.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP GETs from inside a network namespace, for the TwoNetworks tests. Run it with
 * {@code ip netns exec wciq-green java -cp target/test-classes io.wordcountiq.support.NetProbe [options] URL...}
 * (only the JDK is needed). Options:
 * <pre>
 *   --urls FILE         more URLs, one a line (blank lines and # comments skipped); requests go round-robin
 *   --count N           at most N requests in all (default 100 unless --duration is given)
 *   --duration SECONDS  stop issuing requests after this long (a decimal)
 *   --concurrency C     C threads, each with its own keep-alive HTTP/1.1 connection (default 1)
 *   --timeout MS        per-request timeout, connect included (default 2000)
 *   --header NAME:VALUE add a request header (repeatable)
 *   --log FILE          one line per request: start epoch ms, url, status (-1 on error), ms, X-IQ-Served-By and
 *                       X-IQ-Stale of the answer (or -), body or error
 *                       (tab-separated, tabs/newlines escaped, body cut at --body-max chars, default 300)
 * </pre>
 * Prints one line on stdout at the end:
 * {@code PROBE n=.. ok=.. status={200:..,503:..} errors=.. errorKinds={HttpTimeoutException:..} p50=..ms p99=..ms
 * max=..ms rps=.. elapsed=..ms}; ok counts 2xx answers, the latencies are of requests that got an answer (any status).
 * Exit code 0, or 2 on bad usage.
 */
public final class NetProbe {

    private record Result(long startMs, String url, int status, long nanos, String detail) {
    }

    private NetProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<String> urls = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        long count = -1;
        double durationS = -1;
        int concurrency = 1;
        long timeoutMs = 2000;
        int bodyMax = 300;
        Path log = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                urls.add(a);
                continue;
            }
            if (i + 1 >= args.length) {
                usage("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--urls" -> Files.readAllLines(Path.of(v)).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(urls::add);
                case "--count" -> count = Long.parseLong(v);
                case "--duration" -> durationS = Double.parseDouble(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--timeout" -> timeoutMs = Long.parseLong(v);
                case "--header" -> {
                    if (v.indexOf(':') < 1) {
                        usage("a header is NAME:VALUE, not " + v);
                    }
                    headers.add(v);
                }
                case "--log" -> log = Path.of(v);
                case "--body-max" -> bodyMax = Integer.parseInt(v);
                default -> usage("unknown option " + a);
            }
        }
        if (urls.isEmpty() || concurrency < 1) {
            usage("no URL given");
        }
        if (count < 0 && durationS < 0) {
            count = 100;
        }
        System.out.println(run(urls, headers, count, durationS, concurrency, timeoutMs, bodyMax, log));
    }

    private static void usage(String why) {
        System.err.println("NetProbe: " + why + "\nusage: NetProbe [--urls FILE] [--count N] [--duration S]"
                + " [--concurrency C] [--timeout MS] [--header N:V] [--log FILE] [--body-max CHARS] URL...");
        System.exit(2);
    }

    private static String run(List<String> urls, List<String> headers, long count, double durationS, int concurrency,
            long timeoutMs, int bodyMax, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(timeoutMs)).build();
        List<HttpRequest> requests = new ArrayList<>();
        for (String url : urls) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs)).GET();
            for (String h : headers) {
                int colon = h.indexOf(':');
                b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
            }
            requests.add(b.build());
        }
        long start = System.nanoTime();
        long deadline = durationS < 0 ? Long.MAX_VALUE : start + (long) (durationS * 1e9);
        long limit = count < 0 ? Long.MAX_VALUE : count;
        AtomicLong issued = new AtomicLong();
        List<List<Result>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            List<Result> mine = new ArrayList<>();
            perThread.add(mine);
            Thread thread = new Thread(() -> {
                long i;
                while ((i = issued.getAndIncrement()) < limit && System.nanoTime() < deadline) {
                    mine.add(one(client, requests.get((int) (i % requests.size())), bodyMax));
                }
            }, "probe-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;

        List<Result> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> errorKinds = new TreeMap<>();
        List<Long> answered = new ArrayList<>();
        int ok = 0;
        for (Result r : all) {
            if (r.status < 0) {
                errorKinds.merge(r.detail.split("\t", 3)[2].split(":", 2)[0], 1, Integer::sum);
                continue;
            }
            statuses.merge(r.status, 1, Integer::sum);
            answered.add(r.nanos);
            if (r.status / 100 == 2) {
                ok++;
            }
        }
        if (log != null) {
            all.sort((a, b) -> Long.compare(a.startMs, b.startMs));
            try (BufferedWriter w = Files.newBufferedWriter(log)) {
                for (Result r : all) {
                    w.write(r.startMs + "\t" + r.url + "\t" + r.status + "\t" + ms(r.nanos) + "\t" + r.detail + "\n");
                }
            }
        }
        long[] lat = answered.stream().mapToLong(Long::longValue).sorted().toArray();
        return "PROBE n=" + all.size() + " ok=" + ok + " status=" + compact(statuses) + " errors="
                + (all.size() - answered.size()) + " errorKinds=" + compact(errorKinds)
                + " p50=" + ms(pct(lat, 0.50)) + "ms p99=" + ms(pct(lat, 0.99)) + "ms max=" + ms(pct(lat, 1.0)) + "ms"
                + " rps=" + Math.round(all.size() / (elapsed / 1e9)) + " elapsed=" + elapsed / 1_000_000 + "ms";
    }

    private static Result one(HttpClient client, HttpRequest request, int bodyMax) {
        long startMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Result(startMs, request.uri().toString(), response.statusCode(), System.nanoTime() - t0,
                    response.headers().firstValue("X-IQ-Served-By").orElse("-") + "\t"
                            + response.headers().firstValue("X-IQ-Stale").orElse("-") + "\t"
                            + escape(body.length() > bodyMax ? body.substring(0, bodyMax) : body));
        } catch (IOException e) {
            return new Result(startMs, request.uri().toString(), -1, System.nanoTime() - t0,
                    "-\t-\t" + escape(e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(startMs, request.uri().toString(), -1, System.nanoTime() - t0, "-\t-\tInterruptedException");
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String compact(Map<?, Integer> m) {
        return m.toString().replace(" ", "").replace('=', ':');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
