package io.wordcountiq.health;

import io.wordcountiq.streams.StreamsLifecycle;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness follows the ability to answer ({@link StreamsLifecycle#isReady()}): it survives a rebalance and a route
 * reload, and turns false first on a graceful stop. Liveness: Kafka Streams has not failed for good (ERROR or
 * NOT_RUNNING), which only a restart fixes.
 */
public class StreamsHealthCheck extends AbstractHealthCheck {

    private final StreamsLifecycle lifecycle;
    private final boolean liveness;

    public StreamsHealthCheck(StreamsLifecycle lifecycle, boolean liveness) {
        super("wordcount-iq", liveness ? "kafka-streams-alive" : "kafka-streams-ready");
        this.lifecycle = lifecycle;
        this.liveness = liveness;
    }

    @Override
    public boolean isLiveness() {
        return liveness;
    }

    @Override
    public boolean isReadiness() {
        return !liveness;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String state = lifecycle.state();
        builder.detail("state", state);
        boolean up = liveness
                ? !(state.equals(KafkaStreams.State.ERROR.name()) || state.equals(KafkaStreams.State.NOT_RUNNING.name()))
                : lifecycle.isReady();
        if (up) {
            builder.up();
        } else {
            builder.message(lifecycle.isStopping() ? "stopping" : "Kafka Streams is " + state).down();
        }
    }
}
