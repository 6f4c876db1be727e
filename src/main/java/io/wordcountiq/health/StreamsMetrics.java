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

    private MeterRegistry registry() {
        return context.getRegistry().findSingleByType(MeterRegistry.class);
    }
}
