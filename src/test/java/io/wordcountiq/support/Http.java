package io.wordcountiq.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for tests: real requests over loopback, with a deadline on each. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public record Reply(int status, String body, Map<String, java.util.List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private Http() {
    }

    public static Reply get(String url, String... headerPairs) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET();
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(b.build());
    }

    public static Reply post(String url, String contentType, String body, String... headerPairs) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(b.build());
    }

    /** Waits, up to 90 s, until the instance whose management server listens on this port says it is ready. */
    public static void awaitReady(int managementPort) {
        org.awaitility.Awaitility.await("ready on management port " + managementPort).atMost(Duration.ofSeconds(90))
                .until(() -> get("http://localhost:" + managementPort + "/observe/health/ready").status() == 200);
    }

    /**
     * POST /lines as a client should: a 503 means nothing was written (Kafka slow or busy), so the same lines are
     * sent again, within a minute. Returns the first answer that is not a 503 (or the last 503).
     */
    public static Reply postLines(String url, String lines, String... headerPairs) {
        java.util.concurrent.atomic.AtomicReference<Reply> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await("POST /lines not refused").atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        last.set(post(url, "text/plain", lines, headerPairs));
                        return last.get().status() != 503;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return last.get();
        }
        return last.get();
    }

    public static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            return new Reply(-1, e.toString(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
