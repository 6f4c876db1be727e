package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PartitionList;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotHosted;
import io.wordcountiq.model.QueryResult.Page;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.QueryResult.Streamed;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.wire.Json;
import io.wordcountiq.wire.Tokens;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one place that writes HTTP answers: bodies, status codes and the X-IQ-* headers, for results, errors and
 * accepted lines alike. Every error body, including those for requests that match no route, comes from
 * {@link #errorBody(ApiError)}: {"status":…, "error":"…"} plus the error's details.
 */
public class Replies {

    private final String self;
    private final String cluster;
    private final Tokens tokens;

    /** @param cluster this instance's CLUSTER_NAME, or empty: X-IQ-Cluster on every answer when set */
    public Replies(String self, String cluster, Tokens tokens) {
        this.self = self;
        this.cluster = cluster;
        this.tokens = tokens;
    }

    /** This instance's application.server, the value of X-IQ-Served-By on every answer. */
    public String self() {
        return self;
    }

    /** Answers the final result in the body (routes/local-or-forward, routes/whole-store). */
    public void write(Exchange exchange) {
        QueryResult result = exchange.getMessage().getBody(QueryResult.class);
        if (result instanceof Found found) {
            found(exchange, found);
        } else if (result instanceof Relayed relayed) {
            relayed(exchange, relayed);
        } else if (result instanceof Absent absent) {
            Message out = error(exchange, ApiError.notFound("word '" + absent.key() + "' not found"));
            copyHeaders(out, absent.copy());
            token(out, absent.token());
        } else if (result instanceof NotHosted notHosted) {
            error(exchange, new ApiError(421, "key is not hosted on " + notHosted.self()));
        } else if (result instanceof Unavailable unavailable) {
            error(exchange, ApiError.notReady(unavailable.message()));
        } else if (result instanceof Streamed streamed) {
            Message out = answer(exchange, 200, null);
            out.setBody(streamed.body());
            wholeStoreHeaders(out, streamed.missing(), streamed.partitions());
            staleHeaders(out, streamed.staleLag());
            token(out, streamed.token());
        } else if (result instanceof Page page) {
            Message out = answer(exchange, 200, page.json());
            staleHeaders(out, page.staleLag());
            token(out, page.token());
            if (page.next() != null) {
                // The next page covers at least what this one reflects: the Link carries this page's token.
                String target = page.token().isEmpty() ? page.next()
                        : page.next() + "&token=" + tokens.encode(page.token());
                out.setHeader("Link", "<" + target + ">; rel=\"next\"");
            }
        } else if (result instanceof Failed failed) {
            error(exchange, failed.error());
        } else {
            throw new IllegalStateException("a route ended with " + result + " instead of an answer");
        }
    }

    public void found(Exchange exchange, Found found) {
        Message out = answer(exchange, 200, found.json());
        copyHeaders(out, found.copy());
        token(out, found.token());
    }

    private void token(Message out, io.wordcountiq.model.ConsistencyToken token) {
        if (token != null && !token.isEmpty()) {
            out.setHeader(Headers.TOKEN, tokens.encode(token));
        }
    }

    /** A partial whole-store answer names what is missing; a peer's part names the partitions it covers. */
    private static void wholeStoreHeaders(Message out, java.util.List<String> missing, java.util.Set<Integer> partitions) {
        if (missing != null) {
            out.setHeader(Headers.MISSING, String.join(",", missing));
        }
        if (partitions != null) {
            out.setHeader(Headers.PARTITIONS, PartitionList.format(partitions));
        }
    }

    /** A whole-store answer read partly from standbys says so, and how far behind they are (-1: not known). */
    private static void staleHeaders(Message out, Long staleLag) {
        if (staleLag != null) {
            out.setHeader(Headers.STALE, "true");
            out.setHeader(Headers.LAG, staleLag.toString());
        }
    }

    /** Another instance's answer, as it came. A String body goes straight to Vert.x (a byte[] would be streamed). */
    void relayed(Exchange exchange, Relayed reply) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(reply.body());
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        reply.headers().forEach(out::setHeader);
    }

    /** Which copy a key lookup read: X-IQ-Copy, and X-IQ-Stale and X-IQ-Lag when it may lag behind. */
    private static void copyHeaders(Message out, Copy copy) {
        if (copy == null) {
            return;
        }
        out.setHeader(Headers.COPY, copy.header());
        if (copy.stale()) {
            out.setHeader(Headers.STALE, "true");
        }
        if (copy.lag() != null) {
            out.setHeader(Headers.LAG, copy.lag().toString());
        }
    }

    /** Lines written: 202 with the token that covers them, in the header and the body. */
    public void accepted(Exchange exchange, int lines, io.wordcountiq.model.ConsistencyToken written) {
        String token = tokens.encode(written);
        Message out = answer(exchange, 202, "{\"accepted\":" + lines + ",\"token\":\"" + token + "\"}");
        out.setHeader(Headers.TOKEN, token);
    }

    public Message error(Exchange exchange, ApiError error) {
        Message out = answer(exchange, error.status(), errorBody(error));
        if (error.retryAfterSeconds() != null) {
            out.setHeader(Headers.RETRY_AFTER, error.retryAfterSeconds().toString());
        }
        error.headers().forEach(out::setHeader);
        return out;
    }

    /** The error route's step (routes/errors.camel.yaml): whatever was thrown becomes a JSON error. */
    public void failure(Exchange exchange) {
        error(exchange, Failures.toApiError(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class),
                exchange.getFromRouteId()));
    }

    public static String errorBody(ApiError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", error.status());
        body.put("error", error.getMessage());
        if (error.details() instanceof Map<?, ?> map) {
            map.forEach((k, v) -> body.put(k.toString(), v));
        }
        return Json.write(body);
    }

    private Message answer(Exchange exchange, int status, String json) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(json);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Headers.SERVED_BY, self);
        if (!cluster.isEmpty()) {
            out.setHeader(Headers.CLUSTER, cluster);
        }
        return out;
    }

}
