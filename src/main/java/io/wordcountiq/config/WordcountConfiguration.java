package io.wordcountiq.config;

import io.wordcountiq.health.RequestMetrics;
import io.wordcountiq.health.StreamsHealthCheck;
import io.wordcountiq.query.ErrorResponses;
import io.wordcountiq.query.ForwardMarker;
import io.wordcountiq.query.Forwarding;
import io.wordcountiq.query.Instances;
import io.wordcountiq.query.LinesIngest;
import io.wordcountiq.query.LocalStateQueries;
import io.wordcountiq.query.PeerLags;
import io.wordcountiq.query.RequestValidator;
import io.wordcountiq.query.ScatterGather;
import io.wordcountiq.routes.RoutesDirectoryWatcher;
import io.wordcountiq.streams.EmbeddedKafka;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All bean wiring. The YAML routes in routes/ refer to the beans by the names bound here. */
public class WordcountConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WordcountConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.from(key -> context.getPropertiesComponent().resolveProperty(key));
        Properties clientProps = KafkaClientSettings.fromEnvironment(System.getenv());
        if (settings.embeddedKafka()) {
            EmbeddedKafka broker = EmbeddedKafka.start();
            LOG.info("KAFKA_BOOTSTRAP_SERVERS is not set: started an embedded Kafka broker at {}", broker.bootstrapServers());
            settings = settings.withBootstrapServers(broker.bootstrapServers());
            context.addService(new EmbeddedKafkaService(broker), true, true);
        }

        configureKafkaComponent(context, settings, clientProps);
        configureHttpComponents(context, settings);
        context.getComponent("platform-http", PlatformHttpComponent.class).setHeaderFilterStrategy(new ResponseHeaderFilter());

        StreamsLifecycle lifecycle = new StreamsLifecycle(settings, clientProps);
        RequestValidator validator = new RequestValidator(settings.maxKeyLength());
        ForwardMarker marker = new ForwardMarker(settings.forwardSecret());
        LocalStateQueries local = new LocalStateQueries(lifecycle, validator, marker);

        Registry registry = context.getRegistry();
        registry.bind("settings", settings);
        registry.bind("streamsLifecycle", lifecycle);
        registry.bind("localState", local);
        PeerLags peerLags = new PeerLags(local, settings.forwardScheme());
        registry.bind("peerLags", peerLags);
        registry.bind("forwarding", new Forwarding(local, peerLags, marker, settings.forwardScheme(), settings.requestTimeoutMs()));
        registry.bind("scatterGather", new ScatterGather(local, marker, settings.forwardScheme(), settings.forwardTimeoutMs()));
        registry.bind("instances", new Instances(local, validator, peerLags));
        registry.bind("lines", new LinesIngest(settings.maxBodyBytes(), settings.applicationServer()));
        registry.bind("errors", new ErrorResponses(settings.applicationServer()));

        // Streams starts with the context; its close waits for the HTTP routes to drain first.
        context.addService(lifecycle, true, true);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new StreamsHealthCheck(lifecycle, false));
        health.register(new StreamsHealthCheck(lifecycle, true));
        context.getManagementStrategy().addEventNotifier(new RequestMetrics());

        String servedBy = settings.applicationServer();
        int httpPort = settings.httpPort();
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                JsonErrorPages.install(ctx, httpPort, servedBy);
            }
        });

        long reloadMs = Long.parseLong(context.getPropertiesComponent().resolveProperty("routes.reload.interval.ms").orElse("1000"));
        if (reloadMs > 0) {
            RoutesDirectoryWatcher watcher = new RoutesDirectoryWatcher(context, settings.routesDir(), reloadMs);
            context.addStartupListener((ctx, alreadyStarted) -> {
                if (!alreadyStarted) {
                    ServiceHelper.startService(watcher);
                }
            });
            context.addService(watcher, true, false);
        }
    }

    private static void configureKafkaComponent(CamelContext context, Settings settings, Properties clientProps) {
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        kafka.getConfiguration().setBrokers(settings.bootstrapServers());
        kafka.getConfiguration().setRequestRequiredAcks("all");
        Map<String, Object> extra = new HashMap<>();
        clientProps.forEach((k, v) -> extra.put(k.toString(), v));
        kafka.getConfiguration().setAdditionalProperties(extra);
    }

    private static void configureHttpComponents(CamelContext context, Settings settings) {
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(settings.forwardConnectTimeoutMs());
            http.setConnectionRequestTimeout(settings.forwardConnectTimeoutMs());
            http.setSoTimeout(settings.forwardTimeoutMs());
            http.setResponseTimeout(settings.forwardTimeoutMs());
            http.setMaxTotalConnections(256);
            http.setConnectionsPerRoute(64);
            http.setFollowRedirects(false);
            http.setRedirectHandlingDisabled(true);
            http.setAutomaticRetriesDisabled(true);
            http.setCookieManagementDisabled(true);
            http.setContentCompressionDisabled(true);
        }
    }

    /** Closes the embedded broker after everything else has stopped. */
    private record EmbeddedKafkaService(EmbeddedKafka broker) implements org.apache.camel.Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            try {
                broker.close();
            } catch (Exception e) {
                LOG.warn("Embedded broker did not close cleanly: {}", e.toString());
            }
        }
    }
}
