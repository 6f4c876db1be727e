package io.wordcountiq.forward;

import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one host's reply means for a walk: an answer settles it; a 404 that may not know, a 421 or a 503 moves on; a
 * host that could not be reached (or a proxy on the way that says so) is recorded as refused or timed out.
 */
public final class ReplyMeaning {

    private ReplyMeaning() {
    }

    /** Records the reply to the host the walk asked last, or settles the walk with it. */
    static void apply(ForwardWalk walk, PeerReply reply) {
        if (reply instanceof PeerReply.Failed failed) {
            walk.record(failed.failure() == PeerReply.Failure.TIMEOUT ? Result.TIMEOUT
                    : failed.failure() == PeerReply.Failure.REFUSED ? Result.REFUSED : Result.FAILED, null);
            return;
        }
        PeerReply.Answered answered = (PeerReply.Answered) reply;
        int status = answered.status();
        boolean fromInstance = answered.fromInstance();
        if (!fromInstance && status >= 502 && status <= 504) {
            // A proxy on the way (an ingress) answered for an instance it could not reach: as good as refused.
            walk.record(status == 504 ? Result.TIMEOUT : Result.REFUSED, status);
            return;
        }
        Copy copy = Copy.parse(answered.header(Headers.COPY), answered.header(Headers.LAG));
        Result result = classify(status, fromInstance, copy, walk.request().statesFreshness());
        if (result == Result.REPLIED) {
            walk.settle(relayed(answered));
        } else if (result == Result.PROVISIONAL) {
            walk.record(result, status);
            walk.keepProvisional(relayed(answered), copy);
        } else if (result == Result.UNAVAILABLE) {
            walk.record(result, status, reason(body(answered.body())));
        } else {
            walk.record(result, status);
        }
    }

    /**
     * What one reply from a host means for the walk. With {@code freshnessStated} (maxLag, a token) the peer answered
     * only from a copy fresh enough for the request, so any copy's answer settles the walk.
     */
    static Result classify(int status, boolean fromInstance, Copy copy, boolean freshnessStated) {
        if (freshnessStated && fromInstance && copy != null && (status == 200 || status == 404)) {
            return Result.REPLIED;
        }
        if (status == 200 && fromInstance && copy != null && !copy.caughtUp()) {
            // A copy still restoring, or a standby that may lag behind (a new one still restoring too): a caught-up
            // copy is sought, and this answer kept as a last resort.
            return Result.PROVISIONAL;
        }
        if (status == 404) {
            // Only a copy that knows may say "not found"; any other 404 (a restoring copy, an ingress's default
            // backend, a route being swapped) means this host did not answer for the key.
            return fromInstance && copy != null && copy.authoritative() ? Result.REPLIED : Result.NOT_FOUND;
        }
        if (!fromInstance) {
            return status >= 500 ? Result.FAILED : Result.REPLIED;
        }
        if (status == 421) {
            return Result.NOT_HOSTED;
        }
        if (status == 403) {
            // It took the hop for a client's request (its mark was not for it: an application.server that leads
            // somewhere else, or FORWARD_SECRET differs): not an answer for the key.
            return Result.FAILED;
        }
        if (status == 503) {
            return Result.UNAVAILABLE;
        }
        return status >= 500 ? Result.FAILED : Result.REPLIED;
    }

    /** The reply as the client gets it: status, body, and the API's own headers only. */
    private static Relayed relayed(PeerReply.Answered reply) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Headers.RELAYED) {
            String value = reply.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new Relayed(reply.status(), body(reply.body()), headers);
    }

    /** The "error" of an instance's JSON error body (its own words for why it cannot answer), or null. */
    public static String reason(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode error = Json.MAPPER.readTree(body).get("error");
            return error == null || !error.isTextual() ? null : error.asText();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** A reply's body as text. */
    public static String body(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
