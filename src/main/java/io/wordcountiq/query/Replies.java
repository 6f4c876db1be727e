package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.QueryResult.Unavailable;
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

    public Replies(String self) {
        this.self = self;
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
            error(exchange, ApiError.notFound("word '" + absent.key() + "' not found"));
        } else if (result instanceof Unavailable unavailable) {
            error(exchange, ApiError.notReady(unavailable.message()));
        } else if (result instanceof Failed failed) {
            error(exchange, failed.error());
        } else {
            throw new IllegalStateException("a route ended with " + result + " instead of an answer");
        }
    }

    public void found(Exchange exchange, Found found) {
        Message out = answer(exchange, 200, found.json());
        if (found.stale()) {
            out.setHeader(Headers.STALE, "true");
        }
        if (found.missing() != null) {
            out.setHeader(Headers.MISSING, String.join(",", found.missing()));
        }
        if (found.partitions() != null) {
            out.setHeader(Headers.PARTITIONS, ScatterGather.join(found.partitions()));
        }
    }

    /** Another instance's answer, as it came. A String body goes straight to Vert.x (a byte[] would be streamed). */
    void relayed(Exchange exchange, Relayed reply) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(reply.body());
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        setIfPresent(out, Exchange.CONTENT_TYPE, reply.contentType());
        setIfPresent(out, Headers.SERVED_BY, reply.servedBy());
        setIfPresent(out, Headers.STALE, reply.stale());
        setIfPresent(out, Headers.RETRY_AFTER, reply.retryAfter());
    }

    public void accepted(Exchange exchange, int lines) {
        answer(exchange, 202, "{\"accepted\":" + lines + "}");
    }

    public void error(Exchange exchange, ApiError error) {
        Message out = answer(exchange, error.status(), errorBody(error));
        if (error.retryAfterSeconds() != null) {
            out.setHeader(Headers.RETRY_AFTER, error.retryAfterSeconds().toString());
        }
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
        return out;
    }

    private static void setIfPresent(Message msg, String name, String value) {
        if (value != null) {
            msg.setHeader(name, value);
        }
    }
}
