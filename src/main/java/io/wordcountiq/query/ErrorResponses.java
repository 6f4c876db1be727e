package io.wordcountiq.query;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns any failure into {"status":…, "error":"…"}: the client never sees a stack trace. */
public class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final String self;

    public ErrorResponses(String self) {
        this.self = self;
    }

    public void toJson(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        Integer retryAfter = null;
        Object details = null;
        if (cause instanceof ApiError e) {
            status = e.status();
            message = e.getMessage();
            retryAfter = e.retryAfterSeconds();
            details = e.details();
        } else if (cause instanceof java.util.concurrent.RejectedExecutionException
                || cause instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException) {
            status = 503;
            message = "this route is being reloaded; retry shortly";
            retryAfter = 1;
        } else if (cause instanceof java.io.IOException) {
            // Only calls to other instances do I/O here: one could not be reached.
            status = 503;
            message = "another instance could not be reached; retry shortly";
            retryAfter = 1;
            LOG.debug("Instance unreachable on {}: {}", exchange.getFromRouteId(), cause.toString());
        } else if (cause instanceof org.apache.kafka.streams.errors.InvalidStateStoreException) {
            status = 503;
            message = "state is being moved between instances; retry shortly";
            retryAfter = 1;
        } else {
            status = 500;
            message = "internal error";
            StringBuilder chain = new StringBuilder(String.valueOf(cause));
            for (Throwable t = cause == null ? null : cause.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                chain.append(" <- ").append(t);
            }
            LOG.error("Unexpected failure on {}: {}", exchange.getFromRouteId(), chain);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        if (details instanceof Map<?, ?> map) {
            map.forEach((k, v) -> body.put(k.toString(), v));
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(Json.write(body));
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Headers.SERVED_BY, self);
        if (retryAfter != null) {
            out.setHeader(Headers.RETRY_AFTER, retryAfter.toString());
        }
    }
}
