package io.wordcountiq.ui;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.cluster.SelfReport;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.forward.ReplyMeaning;
import io.wordcountiq.http.Replies;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.ui.ClusterSurvey.Hosting;
import io.wordcountiq.ui.ClusterSurvey.Remembered;
import io.wordcountiq.wire.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.StreamsMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code GET /ui/api/cluster} (routes/ui.camel.yaml): every member of the consumer group in metadata,
 * every observer of UI_OBSERVERS and every instance that left the group in the last {@link #LEFT_MEMORY_MS} is asked
 * for its self-description ({@code GET /state/instances}, in parallel, with the peer client, within
 * FORWARD_TIMEOUT_MS); this instance describes itself. Metadata knows who hosts what; each instance knows its own
 * cluster, readiness and lags. {@link ClusterSurvey} puts the answer together.
 */
public class ClusterSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSteps.class);

    /** How long an instance that left the group (or died, and was dropped from metadata) stays on the page. */
    static final long LEFT_MEMORY_MS = 120_000;

    private final StoreMetadata metadata;
    private final Replies replies;
    private final List<String> observers;
    private final Map<String, Remembered> memory = new ConcurrentHashMap<>();

    private final PeerHealth health;

    public ClusterSteps(StoreMetadata metadata, Replies replies, List<String> observers, PeerHealth health) {
        this.health = health;
        this.metadata = metadata;
        this.replies = replies;
        this.observers = List.copyOf(observers);
    }

    /** Plans one answer: the survey, and a call for every host to ask (the next peer: step sends them all at once). */
    public void plan(Exchange exchange) {
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
        exchange.setProperty(ExchangeProperties.SURVEY, survey);
        List<String> asked = new java.util.ArrayList<>();
        for (String address : survey.targets()) {
            if (health.reachable(address)) {
                asked.add(address);
            } else {
                survey.unreachableFromHere(address, "this instance cannot reach it (it is asked again every second)");
            }
        }
        exchange.setProperty(ExchangeProperties.PEER_CALL, asked.stream()
                .map(address -> new PeerCall(address, "/state/instances", null, Map.of(), PeerCall.Mode.BUFFERED)).toList());
    }

    /**
     * Every host's reply: its self-description, an instance's own 503 (not ready), a proxy's answer for it, or no
     * answer at all (unreachable). Then the view, grouped by cluster; what was learnt is kept for the next answers.
     */
    public void answer(Exchange exchange) {
        ClusterSurvey survey = survey(exchange);
        @SuppressWarnings("unchecked")
        List<PeerReply> probes = exchange.getMessage().getBody(List.class);
        for (PeerReply reply : probes) {
            record(survey, reply);
        }
        ClusterPage.View view = survey.assemble();
        memory.putAll(survey.remember(System.currentTimeMillis()));
        replies.found(exchange, Found.of(Json.write(view)));
    }

    private static void record(ClusterSurvey survey, PeerReply reply) {
        if (reply instanceof PeerReply.Failed failed) {
            LOG.debug("Cluster view: {} did not describe itself: {}", failed.address(), failed.reason());
            survey.unreachable(failed.address(), switch (failed.failure()) {
                case TIMEOUT -> "timed out";
                case REFUSED -> "connection refused or host unknown";
                default -> "no valid answer";
            }, failed.elapsedMs());
            return;
        }
        PeerReply.Answered answered = (PeerReply.Answered) reply;
        byte[] body = answered.body() == null ? new byte[0] : answered.body();
        if (!answered.fromInstance()) {
            survey.unreachable(answered.address(), "HTTP " + answered.status() + " from something on the way, not an instance",
                    answered.elapsedMs());
        } else if (answered.status() == 200) {
            try {
                survey.described(answered.address(), SelfReport.parse(Json.MAPPER.readTree(body)), answered.elapsedMs());
            } catch (IOException e) {
                survey.unreachable(answered.address(), "no valid answer", answered.elapsedMs());
            }
        } else {
            String reason = ReplyMeaning.reason(ReplyMeaning.body(body));
            survey.notReady(answered.address(), reason == null ? "HTTP " + answered.status() : reason, answered.elapsedMs());
        }
    }

    private static ClusterSurvey survey(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.SURVEY, ClusterSurvey.class);
    }
}
