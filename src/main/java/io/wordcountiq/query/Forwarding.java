package io.wordcountiq.query;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions of the forward route (routes/forward.camel.yaml): which instance to ask next, what a reply means, and
 * what the client gets when the list is exhausted. The route does the HTTP calls with camel-http.
 */
public class Forwarding {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);
    static final String ATTEMPT = "iqForwardAttempt";
    public static final String TARGET = "iqTarget";

    private final LocalStateQueries local;
    private final PeerLags peerLags;
    private final ForwardMarker marker;
    private final String scheme;
    private final long requestTimeoutMs;

    public Forwarding(LocalStateQueries local, PeerLags peerLags, ForwardMarker marker, String scheme, long requestTimeoutMs) {
        this.local = local;
        this.peerLags = peerLags;
        this.marker = marker;
        this.scheme = scheme;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    public void plan(Exchange exchange) {
        Placement placement = exchange.getProperty(LocalStateQueries.PLACEMENT, Placement.class);
        String store = exchange.getMessage().getHeader("store", String.class);
        String key = exchange.getMessage().getHeader("key", String.class);
        List<HostInfo> recipients = RecipientPlanner.order(local.selfHost(), placement.metadata(),
                local.hostsOf(store), placement.role() == Placement.Role.UNKNOWN ? Map.of() : peerLags.forPartition(placement.partition()));
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        exchange.setProperty(ATTEMPT, new ForwardAttempt(recipients, placement, key, path,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs)));
    }

    public boolean hasNext(Exchange exchange) {
        return attempt(exchange).hasNext();
    }

    /** Clears everything the client sent, then addresses the next recipient: only metadata chooses the target. */
    public void prepareNext(Exchange exchange) {
        ForwardAttempt attempt = attempt(exchange);
        HostInfo target = attempt.recipients.get(attempt.next++);
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setBody(null);
        msg.setHeader(Exchange.HTTP_METHOD, "GET");
        msg.setHeader(Exchange.HTTP_PATH, attempt.path);
        msg.setHeader(Headers.FORWARDED, marker.sign(System.currentTimeMillis()));
        exchange.setProperty(TARGET, scheme + "://" + target.host() + ":" + target.port());
    }

    public void recordReply(Exchange exchange) throws IOException {
        ForwardAttempt attempt = attempt(exchange);
        Message msg = exchange.getMessage();
        int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String host = RecipientPlanner.address(attempt.current());
        if (status == 404) {
            attempt.tried.add(new ForwardAttempt.Tried(host, ForwardAttempt.Result.NOT_FOUND, 404));
            return;
        }
        if (status >= 502 && status <= 504 && msg.getHeader(Headers.SERVED_BY) == null) {
            // A proxy on the way (an ingress) answered for an instance it could not reach: as good as refused.
            attempt.tried.add(new ForwardAttempt.Tried(host, status == 504 ? ForwardAttempt.Result.TIMEOUT
                    : ForwardAttempt.Result.REFUSED, status));
            return;
        }
        attempt.tried.add(new ForwardAttempt.Tried(host, ForwardAttempt.Result.REPLIED, status));
        attempt.reply = new ForwardAttempt.Reply(status, bytes(msg.getBody()),
                msg.getHeader(Exchange.CONTENT_TYPE, String.class),
                msg.getHeader(Headers.SERVED_BY, String.class),
                msg.getHeader(Headers.STALE, String.class),
                msg.getHeader(Headers.RETRY_AFTER, String.class));
    }

    public void recordFailure(Exchange exchange) {
        ForwardAttempt attempt = attempt(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ForwardAttempt.Result result = classify(e);
        LOG.debug("Forward to {} failed: {}", attempt.current(), e == null ? "?" : e.toString());
        attempt.tried.add(new ForwardAttempt.Tried(RecipientPlanner.address(attempt.current()), result, null));
    }

    /** Turns the walk into the client's answer. */
    public void finish(Exchange exchange) {
        ForwardAttempt attempt = attempt(exchange);
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        if (attempt.reply != null) {
            ForwardAttempt.Reply reply = attempt.reply;
            // A String goes straight to Vert.x; a byte[] would be streamed out through extra worker handoffs.
            msg.setBody(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
            msg.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
            setIfPresent(msg, Exchange.CONTENT_TYPE, reply.contentType());
            setIfPresent(msg, Headers.SERVED_BY, reply.servedBy());
            setIfPresent(msg, Headers.STALE, reply.stale());
            setIfPresent(msg, Headers.RETRY_AFTER, reply.retryAfter());
            return;
        }
        if (attempt.placement.role() == Placement.Role.STANDBY && !attempt.authoritativeNotFound()) {
            // Every other holder failed: our own standby copy is the best answer left.
            local.standbyFallback(exchange);
            return;
        }
        List<ForwardAttempt.Tried> tried = attempt.tried;
        Map<String, Object> details = Map.of("tried", tried.stream()
                .map(t -> Map.of("host", t.host(), "result", t.result().name().toLowerCase()))
                .toList());
        boolean anyNotFound = tried.stream().anyMatch(t -> t.result() == ForwardAttempt.Result.NOT_FOUND);
        boolean allNotFound = !tried.isEmpty() && tried.stream().allMatch(t -> t.result() == ForwardAttempt.Result.NOT_FOUND);
        if (allNotFound || attempt.authoritativeNotFound()) {
            throw new ApiError(404, "word '" + attempt.key + "' not found", null, details);
        }
        if (tried.isEmpty()) {
            throw new ApiError(503, attempt.recipients.isEmpty()
                    ? "no other instance hosts this store right now"
                    : "request deadline passed before any instance was asked", 1, details);
        }
        boolean timeouts = tried.stream().anyMatch(t -> t.result() == ForwardAttempt.Result.TIMEOUT);
        boolean deadline = attempt.next < attempt.recipients.size();
        if (timeouts || deadline) {
            throw new ApiError(504, anyNotFound
                    ? "the instances holding this key did not answer in time"
                    : "no instance answered in time", 1, details);
        }
        throw new ApiError(503, "no instance holding this key could be reached", 1, details);
    }

    private static ForwardAttempt.Result classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof ConnectionRequestTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return ForwardAttempt.Result.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return ForwardAttempt.Result.REFUSED;
            }
        }
        return ForwardAttempt.Result.FAILED;
    }

    private static byte[] bytes(Object body) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof InputStream in) {
            try (in) {
                return in.readAllBytes();
            }
        }
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void setIfPresent(Message msg, String name, String value) {
        if (value != null) {
            msg.setHeader(name, value);
        }
    }

    private static ForwardAttempt attempt(Exchange exchange) {
        return exchange.getProperty(ATTEMPT, ForwardAttempt.class);
    }
}
