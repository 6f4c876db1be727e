package io.wordcountiq.ui;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** What {@code GET /ui/api/cluster} answers, as the page reads it; {@link ClusterSurvey} puts it together. */
public final class ClusterPage {

    private ClusterPage() {
    }

    /** How an instance is doing, as the page shows it. */
    public enum Status {
        READY("ready"), NOT_READY("not ready"), UNREACHABLE("unreachable");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }
    }

    /** One standby partition of a store and that copy's offset lag, as its instance measured it (null: unknown). */
    public record Standby(int partition, Long lag) {
    }

    /** A store as the page shows it on one instance; {@code global}: an observer's whole table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoreView(String store, List<Integer> active, List<Standby> standby, Boolean global) {
    }

    /**
     * One instance on the page.
     *
     * @param member     in the consumer group's metadata now (false: a configured observer, or one that left)
     * @param configured listed because UI_OBSERVERS names it
     * @param advertised the application.server it gave, when it differs from the address asked (e.g. a Service)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(String address, String mode, boolean self, boolean member, boolean configured,
                               Status status, String reason, String state, String advertised, Double ms,
                               List<StoreView> stores) {
    }

    /** The instances of one cluster (CLUSTER_NAME); {@code cluster} null: not named, or not known (never answered). */
    public record ClusterGroup(String cluster, List<InstanceView> instances) {
    }

    /**
     * The answer.
     *
     * @param metadataProblem why this instance's metadata could not be read (then only it, observers and
     *                        remembered instances are listed), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String answeredBy, String metadataProblem, List<String> unreachable, List<ClusterGroup> clusters) {
    }
}
