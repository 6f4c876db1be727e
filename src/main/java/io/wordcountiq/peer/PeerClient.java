package io.wordcountiq.peer;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.PeerReply.Failure;
import io.wordcountiq.settings.Settings;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one HTTP client for every call to another instance: a forward hop, a peer's part of a whole-store answer, a
 * peer's lags, the page's survey. Vert.x's client on the HTTP server's own Vert.x: a call sent from an event loop is
 * answered on that event loop, and no thread waits for it. One TLS configuration (FORWARD_SCHEME, FORWARD_TRUSTSTORE,
 * host-name checks, SNI), keep-alive. A call that fails or times out resets its connection, so the next call never
 * waits on a dead keep-alive connection.
 *
 * <p>Two pools of connections per peer, so that calls that answer at once never queue behind calls that may wait at
 * the peer (a token's read, a streamed part): over HTTP/1.1 a call holds its connection until it is answered. A call
 * that finds its pool and the pool's queue full fails at once; one that waits in the queue longer than
 * FORWARD_CONNECT_TIMEOUT_MS times out.
 */
public final class PeerClient implements AutoCloseable {

    /** The largest answer read whole: a key's windowed counts or a page part fit many times over. */
    static final int MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

    private final HttpClient quick;
    private final HttpClient patient;
    private final boolean ssl;
    private final int timeoutMs;
    private final int streamIdleTimeoutMs;
    private final int connectTimeoutMs;
    private final List<Consumer<PeerReply>> observers = new CopyOnWriteArrayList<>();

    PeerClient(HttpClient quick, HttpClient patient, boolean ssl, int connectTimeoutMs, int timeoutMs,
               int streamIdleTimeoutMs) {
        this.quick = quick;
        this.patient = patient;
        this.ssl = ssl;
        this.connectTimeoutMs = connectTimeoutMs;
        this.timeoutMs = timeoutMs;
        this.streamIdleTimeoutMs = streamIdleTimeoutMs;
    }

    /** The client of this instance's settings, on {@code vertx}. */
    public static PeerClient create(Vertx vertx, Settings settings) throws Exception {
        HttpClientOptions options = options(settings);
        return new PeerClient(
                vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(128).setMaxWaitQueueSize(2048)),
                vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(512).setMaxWaitQueueSize(2048)),
                options.isSsl(),
                settings.forwardConnectTimeoutMs(), settings.forwardTimeoutMs(),
                (int) Math.max(settings.forwardTimeoutMs(), settings.writeTimeoutMs()));
    }

    /**
     * A connect timeout, no redirects, no compression; with FORWARD_SCHEME=https every call is TLS, host names are
     * verified and the host is named (SNI: an ingress serves several hosts on one address).
     */
    static HttpClientOptions options(Settings settings) throws Exception {
        boolean https = "https".equals(settings.forwardScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout(settings.forwardConnectTimeoutMs())
                .setKeepAlive(true)
                .setTryUseCompression(false)
                .setDecompressionSupported(false)
                .setTcpNoDelay(true)
                .setSsl(https)
                .setVerifyHost(true)
                .setForceSni(https)
                .setMaxInitialLineLength(16 * 1024);
        if (!settings.forwardTruststore().isEmpty()) {
            TrustOptions trust = PeerTrust.of(Path.of(settings.forwardTruststore()), settings.forwardTruststorePassword());
            options.setTrustOptions(trust);
        }
        return options;
    }

    public boolean ssl() {
        return ssl;
    }

    /** Every reply of every call is shown to {@code observer} as well (reachability, metrics). */
    public void observe(Consumer<PeerReply> observer) {
        observers.add(observer);
    }

    /** Sends one call; the future completes with its reply, never exceptionally. */
    public CompletableFuture<PeerReply> call(PeerCall call) {
        CompletableFuture<PeerReply> out = new CompletableFuture<>();
        long start = System.nanoTime();
        int colon = call.address().lastIndexOf(':');
        // A call with a timeout of its own (a hop near its request's deadline) waits no longer than that.
        int idle = call.mode() == PeerCall.Mode.STREAMED ? streamIdleTimeoutMs
                : call.timeoutMs() > 0 ? (int) Math.min(call.timeoutMs(), timeoutMs) : timeoutMs;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(call.address().substring(0, colon))
                .setPort(Integer.parseInt(call.address().substring(colon + 1)))
                .setURI(call.query() == null ? call.path() : call.path() + "?" + call.query())
                .setConnectTimeout(Math.min(connectTimeoutMs, idle))
                .setIdleTimeout(idle)
                .setFollowRedirects(false);
        call.headers().forEach(options::putHeader);
        HttpClient client = call.mode() == PeerCall.Mode.STREAMED || call.headers().containsKey(Headers.TOKEN)
                ? patient : quick;
        client.request(options).onComplete(sent -> {
            if (sent.failed()) {
                complete(out, failed(call, sent.cause(), start));
                return;
            }
            HttpClientRequest request = sent.result();
            request.send().onComplete(answered -> {
                if (answered.failed()) {
                    request.reset();
                    complete(out, failed(call, answered.cause(), start));
                    return;
                }
                HttpClientResponse response = answered.result();
                Map<String, String> headers = new HashMap<>();
                response.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
                double ms = (System.nanoTime() - start) / 1e6;
                if (call.mode() == PeerCall.Mode.STREAMED && response.statusCode() == 200) {
                    complete(out, new PeerReply.Answered(call.address(), 200, headers, null,
                            new VertxChunkStream(request, response), ms));
                    return;
                }
                readWhole(request, response).onComplete(body -> complete(out, body.succeeded()
                        ? new PeerReply.Answered(call.address(), response.statusCode(), headers, body.result().getBytes(), null, ms)
                        : failed(call, body.cause(), start)));
            });
        });
        return out;
    }

    /** Sends every call at once; the future completes when each has its reply, in the calls' order. */
    public CompletableFuture<List<PeerReply>> callAll(List<PeerCall> calls) {
        List<CompletableFuture<PeerReply>> replies = new ArrayList<>(calls.size());
        for (PeerCall call : calls) {
            replies.add(call(call));
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(v -> replies.stream().map(CompletableFuture::join).toList());
    }

    private static Future<Buffer> readWhole(HttpClientRequest request, HttpClientResponse response) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BUFFERED_BYTES) {
                request.reset();
                promise.tryFail("the answer is larger than " + MAX_BUFFERED_BYTES + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> promise.tryComplete(body));
        response.exceptionHandler(e -> {
            request.reset();
            promise.tryFail(e);
        });
        return promise.future();
    }

    private void complete(CompletableFuture<PeerReply> out, PeerReply reply) {
        for (Consumer<PeerReply> observer : observers) {
            observer.accept(reply);
        }
        out.complete(reply);
    }

    private static PeerReply failed(PeerCall call, Throwable cause, long start) {
        return new PeerReply.Failed(call.address(), classify(cause), String.valueOf(cause),
                (System.nanoTime() - start) / 1e6);
    }

    /** What kind of failure a client exception is. */
    static Failure classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return Failure.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return Failure.REFUSED;
            }
        }
        return Failure.FAILED;
    }

    @Override
    public void close() {
        quick.close();
        patient.close();
    }
}
