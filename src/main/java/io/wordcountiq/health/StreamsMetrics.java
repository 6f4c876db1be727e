package io.wordcountiq.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams in /observe/metrics: every metric of the Streams client and its embedded clients (Micrometer's
 * {@link KafkaStreamsMetrics}: per-thread and per-task process rates, the consumers' records-lag and rebalance counts,
 * the client state, the standbys' remaining records), plus {@code wordcount_iq_store_offset_lag{store,partition}}, this
 * instance's KIP-535 lag per store partition. That lag needs an admin call, so it is the one routes/peer-lags measures
 * every PEER_LAGS_INTERVAL_MS anyway, never measured on a scrape.
 */
public class StreamsMetrics extends org.apache.camel.support.service.ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsMetrics.class);

    private final CamelContext context;
    private final Tags tags;
    private KafkaStreamsMetrics bound;
    private MultiGauge lags;

    public StreamsMetrics(CamelContext context, String applicationId) {
        this.context = context;
        this.tags = Tags.of("application.id", applicationId);
    }

    /** Binds a Streams client's metrics, once it runs (its threads' and tasks' metrics exist by then). */
    public synchronized void bind(KafkaStreams streams) {
        MeterRegistry registry = registry();
        if (registry == null || bound != null) {
            return;
        }
        bound = new KafkaStreamsMetrics(streams, tags);
        bound.bindTo(registry);
        // Repeats of an Idempotency-Key dropped by this instance's tasks (the topology's own sensors), read on scrape.
        io.micrometer.core.instrument.FunctionCounter.builder("wordcount.iq.idempotency.repeats.dropped", streams,
                        s -> sum(s, "repeats-dropped-total"))
                .description("POST /lines repeats of an Idempotency-Key the topology dropped before counting")
                .tags(tags).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("wordcount.iq.idempotency.conflicts.dropped", streams,
                        s -> sum(s, "conflicts-dropped-total"))
                .description("Repeats of an Idempotency-Key with another body than its first attempt (dropped too)")
                .tags(tags).register(registry);
        LOG.debug("Kafka Streams metrics bound to {}", registry.getClass().getSimpleName());
    }

    /** Records this instance's own lags (the body routes/peer-lags passes on after measuring them). */
    public synchronized void ownLags(Map<String, Map<Integer, Long>> byStore) {
        MeterRegistry registry = registry();
        if (registry == null || byStore == null) {
            return;
        }
        if (lags == null) {
            lags = MultiGauge.builder("wordcount.iq.store.offset.lag")
                    .description("This instance's offset lag per store partition it holds (KIP-535), in records")
                    .tags(tags).register(registry);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byStore.forEach((store, byPartition) -> byPartition.forEach((partition, lag) ->
                rows.add(MultiGauge.Row.of(Tags.of("store", store, "partition", Integer.toString(partition)), lag))));
        lags.register(rows, true);
    }

    @Override
    protected synchronized void doStop() {
        if (bound != null) {
            bound.close();
            bound = null;
        }
    }

    private static double sum(KafkaStreams streams, String name) {
        double total = 0;
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> e
                : streams.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("stream-idempotency-metrics")
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }

    private MeterRegistry registry() {
        return context.getRegistry().findSingleByType(MeterRegistry.class);
    }
}
