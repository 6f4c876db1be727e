package io.wordcountiq.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an instance says of itself in its own entry of {@code GET /state/instances} (the entry with
 * {@code "self":true}): what Kafka Streams metadata does not know. The one home of those fields: {@link Instances}
 * writes them, ui/ClusterSteps reads them back from every instance it asks.
 *
 * @param address   its application.server
 * @param cluster   its CLUSTER_NAME, or empty
 * @param mode      {@code wordcount} or {@code observer}
 * @param ready     whether it can serve queries now (its readiness, as /observe/health/ready says)
 * @param state     its Kafka Streams state (RUNNING, REBALANCING, …)
 * @param offsetLag its own offset lag per store and partition, as last measured (word-count only; else empty)
 */
public record SelfReport(String address, String cluster, String mode, boolean ready, String state,
                         Map<String, Map<Integer, Long>> offsetLag) {

    public SelfReport {
        offsetLag = Map.copyOf(offsetLag);
    }

    /** The fields this report adds to an instance's own entry (besides host and port), in their order. */
    Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("self", true);
        if (!cluster.isEmpty()) {
            out.put("cluster", cluster);
        }
        out.put("mode", mode);
        out.put("ready", ready);
        out.put("state", state);
        if (mode.equals("wordcount")) {
            out.put("offsetLag", offsetLag);
        }
        return out;
    }

    /**
     * The self entry of another instance's {@code GET /state/instances} answer, or null when it has none. An instance
     * of an earlier version says neither ready nor state: its 200 answer means it could be queried.
     */
    public static SelfReport parse(JsonNode instances) {
        if (instances == null || !instances.isArray()) {
            return null;
        }
        for (JsonNode entry : instances) {
            if (!entry.path("self").asBoolean(false)) {
                continue;
            }
            Map<String, Map<Integer, Long>> lags = new TreeMap<>();
            entry.path("offsetLag").fields().forEachRemaining(store -> store.getValue().fields().forEachRemaining(p -> {
                try {
                    lags.computeIfAbsent(store.getKey(), s -> new TreeMap<>()).put(Integer.parseInt(p.getKey()),
                            p.getValue().asLong());
                } catch (NumberFormatException ignored) {
                    // not a partition number: not ours to show
                }
            }));
            return new SelfReport(entry.path("host").asText("") + ":" + entry.path("port").asInt(),
                    entry.path("cluster").asText(""), entry.path("mode").asText("wordcount"),
                    entry.path("ready").asBoolean(true), entry.hasNonNull("state") ? entry.get("state").asText() : null,
                    lags);
        }
        return null;
    }
}
