package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.query.ForwardWalk.Result;
import io.wordcountiq.query.ForwardWalk.Tried;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions of the forward route (routes/forward.camel.yaml) for a key that lives elsewhere: the recipient list,
 * which host to ask next, what each reply means, and what the client gets when the walk ends. The route loops
 * while {@link #hasNext}; each pass runs the hop route, which addresses the next host and calls it with camel-http.
 * (The loop's condition must not change the message: Camel evaluates a bean expression on a copy of the exchange.)
 */
public class Forwarding {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);
    private final StoreMetadata metadata;
    private final LocalReads localReads;
    private final ForwardMarker marker;
    private final String scheme;
    private final long requestTimeoutMs;

    public Forwarding(StoreMetadata metadata, LocalReads localReads, ForwardMarker marker, String scheme, long requestTimeoutMs) {
        this.metadata = metadata;
        this.localReads = localReads;
        this.marker = marker;
        this.scheme = scheme;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Plans the walk of a {@link NotLocal} result: owner first, then standbys least lag first, then other hosts. */
    public void start(Exchange exchange) {
        NotLocal notLocal = exchange.getMessage().getBody(NotLocal.class);
        Placement placement = notLocal.placement();
        List<HostInfo> recipients = RecipientPlanner.order(metadata.selfHost(), placement.metadata(),
                metadata.hostsOf(notLocal.request().store()),
                placement.role() == Placement.Role.UNKNOWN ? Map.of() : metadata.peerLagsOf(placement.partition()));
        exchange.setProperty(Headers.WALK, new ForwardWalk(notLocal.request(), placement, recipients,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs)));
    }

    /** The loop's condition: nothing settled the walk, a host is left to ask, and the deadline has not passed. */
    public boolean hasNext(Exchange exchange) {
        return walk(exchange).hasNext(System.nanoTime());
    }

    /** Addresses the next host. Clears everything the client sent first, so only metadata chooses the target. */
    public void address(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        walk.advance(host -> scheme + "://" + RecipientPlanner.address(host));
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setBody(null);
        msg.setHeader(Exchange.HTTP_METHOD, "GET");
        msg.setHeader(Exchange.HTTP_PATH, walk.request().path());
        msg.setHeader(Headers.FORWARDED, marker.sign(System.currentTimeMillis()));
    }

    /** A host answered: a 404 or a proxy's error moves on; anything else settles the walk. */
    public void reply(Exchange exchange) throws IOException {
        ForwardWalk walk = walk(exchange);
        Message msg = exchange.getMessage();
        int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 404) {
            walk.record(Result.NOT_FOUND, 404);
            return;
        }
        if (status >= 502 && status <= 504 && msg.getHeader(Headers.SERVED_BY) == null) {
            // A proxy on the way (an ingress) answered for an instance it could not reach: as good as refused.
            walk.record(status == 504 ? Result.TIMEOUT : Result.REFUSED, status);
            return;
        }
        walk.settle(new Relayed(status, body(msg.getBody()),
                msg.getHeader(Exchange.CONTENT_TYPE, String.class),
                msg.getHeader(Headers.SERVED_BY, String.class),
                msg.getHeader(Headers.STALE, String.class),
                msg.getHeader(Headers.RETRY_AFTER, String.class)));
    }

    /** The call to a host failed (refused, timed out, broken): the next host is asked. */
    public void unreachable(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.debug("Forward to {} failed: {}", walk.current(), e == null ? "?" : e.toString());
        walk.record(classify(e), null);
    }

    /** Turns the ended walk into the client's answer. */
    public QueryResult settle(Exchange exchange) {
        ForwardWalk walk = walk(exchange);
        if (walk.reply() != null) {
            return walk.reply();
        }
        if (walk.placement().role() == Placement.Role.STANDBY && !walk.authoritativeNotFound()) {
            // Every other holder failed: our own standby copy is the best answer left.
            return localReads.read(walk.request().asLocalOnly());
        }
        List<Tried> tried = walk.tried();
        Map<String, Object> details = Map.of("tried", tried.stream().map(Forwarding::describe).toList());
        boolean anyNotFound = tried.stream().anyMatch(t -> t.result() == Result.NOT_FOUND);
        boolean allNotFound = !tried.isEmpty() && tried.stream().allMatch(t -> t.result() == Result.NOT_FOUND);
        if (allNotFound || walk.authoritativeNotFound()) {
            return new Failed(new ApiError(404, "word '" + walk.request().key() + "' not found", null, details));
        }
        if (tried.isEmpty()) {
            return new Failed(new ApiError(503, walk.noRecipients()
                    ? "no other instance hosts this store right now"
                    : "request deadline passed before any instance was asked", 1, details));
        }
        boolean timeouts = tried.stream().anyMatch(t -> t.result() == Result.TIMEOUT);
        if (timeouts || !walk.exhausted()) {
            return new Failed(new ApiError(504, anyNotFound
                    ? "the instances holding this key did not answer in time"
                    : "no instance answered in time", 1, details));
        }
        return new Failed(new ApiError(503, "no instance holding this key could be reached", 1, details));
    }

    /** One host tried, as the client sees it in an error's "tried" list: {"host":…,"result":…}. */
    static Map<String, String> describe(Tried tried) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("host", tried.host());
        out.put("result", tried.result().name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }

    static Result classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof ConnectionRequestTimeoutException
                    || t instanceof TimeoutException) {
                return Result.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return Result.REFUSED;
            }
        }
        return Result.FAILED;
    }

    private static String body(Object body) throws IOException {
        if (body == null) {
            return "";
        }
        if (body instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return body.toString();
    }

    private static ForwardWalk walk(Exchange exchange) {
        return exchange.getProperty(Headers.WALK, ForwardWalk.class);
    }
}
