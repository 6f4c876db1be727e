package io.wordcountiq.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.wordcountiq.cluster.Instances;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.forward.ForwardWalk.Tried;
import io.wordcountiq.forward.ForwardWalk;
import io.wordcountiq.forward.WalkAnswer;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.UiRequest;
import io.wordcountiq.wire.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * A key lookup of the page that shows its path ({@code GET /ui/api/lookup?key=w}, routes/ui.camel.yaml): the very
 * lookup {@code GET /state/keyvalue/word-count/{key}} makes (routes/local-or-forward, and the forward walk when the
 * key lives elsewhere), then described: the count, who holds the key, which instance answered and from which copy,
 * each host the walk asked (what came of it, in how many ms), and the total time. Host names of the walk appear in
 * this answer only: ordinary answers never list the hops.
 */
public class LookupTrace {

    /** Where and when the lookup entered. */
    public record Trace(KeyRequest request, String enteredAt, long startNanos) {
    }

    private final StoreMetadata metadata;
    private final Instances instances;

    public LookupTrace(StoreMetadata metadata, Instances instances) {
        this.metadata = metadata;
        this.instances = instances;
    }

    /** First step: notes where and when; the typed key request goes on to routes/local-or-forward. */
    public KeyRequest start(Exchange exchange) {
        KeyRequest request = exchange.getMessage().getBody(UiRequest.Lookup.class).request();
        exchange.setProperty(ExchangeProperties.LOOKUP, new Trace(request, metadata.self(), System.nanoTime()));
        return request;
    }

    /**
     * Last step: the lookup's answer becomes its description. The status, Retry-After and X-IQ-* headers stay those
     * of the lookup, so a client sees the same status as from GET /state/keyvalue/word-count/{key}.
     */
    public void describe(Exchange exchange) {
        Trace trace = exchange.getProperty(ExchangeProperties.LOOKUP, Trace.class);
        ForwardWalk walk = exchange.getProperty(ExchangeProperties.WALK, ForwardWalk.class);
        Message msg = exchange.getMessage();
        int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        Map<String, Object> description = describe(trace.request().key(), trace.enteredAt(), status,
                msg.getBody(String.class), msg.getHeader(Headers.SERVED_BY, String.class),
                msg.getHeader(Headers.COPY, String.class), msg.getHeader(Headers.LAG, String.class),
                walk == null ? List.of() : walk.tried(), walk == null ? 0 : walk.rounds(),
                holders(trace.request(), walk), (System.nanoTime() - trace.startNanos()) / 1_000_000.0);
        msg.setBody(Json.write(description));
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /**
     * The description of one lookup.
     *
     * @param body     the lookup's answer: {"key":…,"value":…}, or a JSON error
     * @param servedBy X-IQ-Served-By of that answer: the instance that read the state
     * @param hops     every host the forward walk asked, in order (none when the key was read here)
     * @param holders  the key's owner, partition and standbys (as GET /state/instance/{store}/{key}), or null
     */
    static Map<String, Object> describe(String key, String enteredAt, int status, String body, String servedBy,
                                        String copy, String lag, List<Tried> hops, int rounds,
                                        Map<String, Object> holders, double totalMs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        JsonNode answer = parse(body);
        if (status >= 400) {
            JsonNode error = answer == null ? null : answer.get("error");
            out.put("error", error != null && error.isTextual() ? error.asText() : "the lookup answered HTTP " + status);
        }
        out.put("key", key);
        if (status == 200 && answer != null && answer.path("value").isNumber()) {
            out.put("value", answer.get("value").asLong());
        }
        out.put("enteredAt", enteredAt);
        if (servedBy != null) {
            out.put("answeredBy", servedBy);
            out.put("forwarded", !servedBy.equals(enteredAt));
        }
        if (copy != null) {
            out.put("copy", copy);
            out.put("stale", copy.equals("restoring") || copy.equals("standby"));
        }
        if (lag != null) {
            out.put("lag", lag.matches("\\d{1,18}") ? (Object) Long.parseLong(lag) : lag);
        }
        if (holders != null) {
            out.put("holders", holders);
        }
        out.put("hops", hops.stream().map(LookupTrace::hop).toList());
        out.put("rounds", rounds);
        out.put("totalMs", round(totalMs));
        return out;
    }

    /** One hop: as in an error's "tried" list (host, result, reason), with the status it answered and its time. */
    private static Map<String, Object> hop(Tried tried) {
        Map<String, Object> out = new LinkedHashMap<>(WalkAnswer.describe(tried));
        if (tried.status() != null) {
            out.put("status", tried.status());
        }
        out.put("ms", round(tried.elapsedMs()));
        return out;
    }

    /** The key's holders as the walk last saw them (or as metadata says now), or null when not known right now. */
    private Map<String, Object> holders(KeyRequest request, ForwardWalk walk) {
        if (metadata.isObserver()) {
            return Map.of("note", "observers hold every key; any observer answers");
        }
        Placement placement;
        try {
            placement = walk != null ? walk.placement() : metadata.placement(request.store(), request.key());
        } catch (ApiError notReady) {
            return null;
        }
        return placement.role() == Placement.Role.UNKNOWN ? null : instances.holders(request.store(), placement.metadata());
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
