package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.query.ClusterSurvey.Hosting;
import io.wordcountiq.query.ClusterSurvey.Remembered;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.streams.StreamsMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code GET /ui/api/cluster} (routes/ui.camel.yaml): every member of the consumer group in metadata,
 * every observer of UI_OBSERVERS and every instance that left the group in the last {@link #LEFT_MEMORY_MS} is asked
 * for its self-description ({@code GET /state/instances}, in parallel, with camel-http and FORWARD_SCHEME, within
 * FORWARD_TIMEOUT_MS); this instance describes itself. Metadata knows who hosts what; each instance knows its own
 * cluster, readiness and lags. {@link ClusterSurvey} puts the answer together.
 */
public class ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    /** How long an instance that left the group (or died, and was dropped from metadata) stays on the page. */
    static final long LEFT_MEMORY_MS = 120_000;

    /** The host one branch asks, and since when (for the time it took). The hop route reads {@link #getUri()}. */
    public static final class Probe {
        private final String address;
        private final String uri;
        private final long startNanos = System.nanoTime();

        Probe(String address, String uri) {
            this.address = address;
            this.uri = uri;
        }

        public String getUri() {
            return uri;
        }

        double elapsedMs() {
            return (System.nanoTime() - startNanos) / 1_000_000.0;
        }
    }

    private final StoreMetadata metadata;
    private final Replies replies;
    private final String scheme;
    private final List<String> observers;
    private final Map<String, Remembered> memory = new ConcurrentHashMap<>();

    public ClusterView(StoreMetadata metadata, Replies replies, String scheme, List<String> observers) {
        this.metadata = metadata;
        this.replies = replies;
        this.scheme = scheme;
        this.observers = List.copyOf(observers);
    }

    /** Plans one answer; returns the hosts to ask (the split's body). */
    public List<String> plan(Exchange exchange) {
        Map<String, List<Hosting>> members = new TreeMap<>();
        String problem = null;
        try {
            for (StreamsMetadata md : metadata.allClients()) {
                if (RecipientPlanner.usable(md.hostInfo())) {
                    members.put(RecipientPlanner.address(md.hostInfo()), ClusterSurvey.hostingOf(md, metadata.inputTopic()));
                }
            }
        } catch (ApiError notReady) {
            problem = notReady.getMessage();
        }
        long now = System.currentTimeMillis();
        memory.values().removeIf(r -> now - r.lastListedMs() > LEFT_MEMORY_MS);
        ClusterSurvey survey = new ClusterSurvey(metadata.selfReport(), members, observers, Map.copyOf(memory), problem);
        exchange.setProperty(Headers.SURVEY, survey);
        return survey.targets();
    }

    /** Addresses one host's GET /state/instances; the split's body is its address. Nothing of the client goes along. */
    public void prepare(Exchange exchange) {
        String address = exchange.getMessage().getBody(String.class);
        exchange.setProperty(Headers.PROBE, new Probe(address, scheme + "://" + address));
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setBody(null);
        msg.setHeader(Exchange.HTTP_METHOD, "GET");
        msg.setHeader(Exchange.HTTP_PATH, "/state/instances");
    }

    /** The host answered: its self-description, an instance's own 503 (not ready), or a proxy's answer for it. */
    public void described(Exchange exchange) throws IOException {
        Probe probe = exchange.getProperty(Headers.PROBE, Probe.class);
        ClusterSurvey survey = survey(exchange);
        Message msg = exchange.getMessage();
        int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        boolean fromInstance = msg.getHeader(Headers.SERVED_BY) != null;
        byte[] body = msg.getBody(byte[].class);
        if (!fromInstance) {
            survey.unreachable(probe.address, "HTTP " + status + " from something on the way, not an instance",
                    probe.elapsedMs());
        } else if (status == 200) {
            survey.described(probe.address, SelfReport.parse(Json.MAPPER.readTree(body == null ? new byte[0] : body)),
                    probe.elapsedMs());
        } else {
            String reason = Forwarding.reason(body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8));
            survey.notReady(probe.address, reason == null ? "HTTP " + status : reason, probe.elapsedMs());
        }
    }

    /** The host could not be asked (refused, timed out, broken answer). */
    public void unreachable(Exchange exchange) {
        Probe probe = exchange.getProperty(Headers.PROBE, Probe.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.debug("Cluster view: {} did not describe itself: {}", probe.address, e == null ? "?" : e.toString());
        String reason = switch (Forwarding.classify(e)) {
            case TIMEOUT -> "timed out";
            case REFUSED -> "connection refused or host unknown";
            default -> "no valid answer";
        };
        survey(exchange).unreachable(probe.address, reason, probe.elapsedMs());
    }

    /** The view, grouped by cluster; what was learnt is kept for the next answers. */
    public void answer(Exchange exchange) {
        ClusterSurvey survey = survey(exchange);
        ClusterSurvey.View view = survey.assemble();
        memory.putAll(survey.remember(System.currentTimeMillis()));
        replies.found(exchange, Found.of(Json.write(view)));
    }

    private static ClusterSurvey survey(Exchange exchange) {
        return exchange.getProperty(Headers.SURVEY, ClusterSurvey.class);
    }
}
