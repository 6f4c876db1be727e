package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.CatchUp;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.NotHosted;
import io.wordcountiq.model.QueryResult.NotLocal;
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
        exchange.getMessage().getBody(QueryResult.class).accept(new Answer(exchange));
    }

    /** The HTTP answer of each outcome; the steps that are not final answers never reach a reply. */
    private final class Answer implements QueryResult.Visitor<Void> {
        private final Exchange exchange;

        Answer(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public Void found(Found found) {
            Replies.this.found(exchange, found);
            return null;
        }

        @Override
        public Void relayed(Relayed relayed) {
            Replies.this.relayed(exchange, relayed);
            return null;
        }

        @Override
        public Void absent(Absent absent) {
            Message out = error(exchange, ApiError.notFound("word '" + absent.key() + "' not found"));
            AnswerHeaders.copyHeaders(out, absent.copy());
            token(out, absent.token());
            return null;
        }

        @Override
        public Void notHosted(NotHosted notHosted) {
            error(exchange, new ApiError(421, "key is not hosted on " + notHosted.self()));
            return null;
        }

        @Override
        public Void unavailable(Unavailable unavailable) {
            error(exchange, ApiError.notReady(unavailable.message()));
            return null;
        }

        @Override
        public Void streamed(Streamed streamed) {
            Message out = answer(exchange, 200, null);
            out.setBody(streamed.body());
            AnswerHeaders.wholeStoreHeaders(out, streamed.missing(), streamed.partitions());
            AnswerHeaders.staleHeaders(out, streamed.staleLag());
            token(out, streamed.token());
            return null;
        }

        @Override
        public Void page(Page page) {
            Message out = answer(exchange, 200, page.json());
            AnswerHeaders.staleHeaders(out, page.staleLag());
            token(out, page.token());
            if (page.next() != null) {
                // The next page covers at least what this one reflects: the Link carries this page's token.
                String target = page.token().isEmpty() ? page.next()
                        : page.next() + "&token=" + tokens.encode(page.token());
                out.setHeader("Link", "<" + target + ">; rel=\"next\"");
            }
            return null;
        }

        @Override
        public Void failed(Failed failed) {
            error(exchange, failed.error());
            return null;
        }

        @Override
        public Void catchUp(CatchUp step) {
            return notAnAnswer(step);
        }

        @Override
        public Void notLocal(NotLocal step) {
            return notAnAnswer(step);
        }

        @Override
        public Void gather(Gather step) {
            return notAnAnswer(step);
        }

        private Void notAnAnswer(QueryResult step) {
            throw new IllegalStateException("a route ended with " + step + " instead of an answer");
        }
    }

    public void found(Exchange exchange, Found found) {
        Message out = answer(exchange, 200, found.json());
        AnswerHeaders.copyHeaders(out, found.copy());
        token(out, found.token());
    }

    private void token(Message out, io.wordcountiq.model.ConsistencyToken token) {
        if (token != null && !token.isEmpty()) {
            out.setHeader(Headers.TOKEN, tokens.encode(token));
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
