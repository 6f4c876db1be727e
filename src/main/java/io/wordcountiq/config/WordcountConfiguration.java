package io.wordcountiq.config;

import io.wordcountiq.health.RequestMetrics;
import io.wordcountiq.health.RequestTracing;
import io.wordcountiq.health.StreamsMetrics;
import io.wordcountiq.health.StreamsHealthCheck;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.query.ForwardMarker;
import io.wordcountiq.query.Consistency;
import io.wordcountiq.query.ClusterView;
import io.wordcountiq.query.Forwarding;
import io.wordcountiq.query.Instances;
import io.wordcountiq.query.LookupTrace;
import io.wordcountiq.query.HostBackoff;
import io.wordcountiq.query.LineWriter;
import io.wordcountiq.query.LinesIngest;
import io.wordcountiq.query.LocalReads;
import io.wordcountiq.query.PeerLags;
import io.wordcountiq.query.PeerParts;
import io.wordcountiq.query.Replies;
import io.wordcountiq.query.RequestValidator;
import io.wordcountiq.query.Requests;
import io.wordcountiq.query.ScatterGather;
import io.wordcountiq.query.StoreMetadata;
import io.wordcountiq.query.Tokens;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.routes.RoutesDirectoryWatcher;
import io.wordcountiq.streams.EmbeddedKafka;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.model.UiRequest;
import io.wordcountiq.ui.UiFiles;
import io.wordcountiq.ui.UiRequests;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.vertx.http.VertxHttpComponent;
import io.vertx.core.Vertx;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.net.TrustOptions;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.builder.ExpressionBuilder;
import org.apache.camel.support.builder.PredicateBuilder;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All bean wiring: the top floor. The YAML routes in routes/ refer to the beans by the names bound here; nothing
 * below this package imports it.
 */
public class WordcountConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WordcountConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<String, Optional<String>> lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        EmbeddedKafka broker = null;
        if (Settings.wantsEmbeddedKafka(lookup)) {
            Path kafkaDir = Settings.dataDir(lookup).resolve("kafka");
            broker = EmbeddedKafka.start(kafkaDir);
            LOG.info("KAFKA_BOOTSTRAP_SERVERS is not set: started an embedded Kafka broker at {}, {} log in {} "
                            + "(stop, delete DATA_DIR, and start again to begin afresh)", broker.bootstrapServers(),
                    broker.fresh() ? "a new" : "its", kafkaDir.toAbsolutePath());
            context.addService(new EmbeddedKafkaService(broker), true, true);
        }
        Settings settings = Settings.from(lookup, System.getenv(), broker == null ? null : broker.bootstrapServers());
        if (broker != null && broker.fresh()) {
            // State kept from an earlier broker does not belong to this one: it would give wrong counts.
            StreamsLifecycle.deleteLocalState(settings);
        }
        // One Vert.x for the HTTP server and the forward hop's client (camel-vertx-http), closed after Camel. Key
        // lookups without a token run on its event loops (EventLoopHttpEngine); every other request holds a worker
        // thread until it is answered: enough of them that a wait (ingest during a Kafka outage, a token's read)
        // never starves other requests.
        Vertx vertx = Vertx.vertx(vertxOptions(settings));
        context.getRegistry().bind("vertx", Vertx.class, vertx);
        on(context, CamelEvent.CamelContextStoppedEvent.class, vertx::close);
        SSLContextParameters forwardTrust = settings.forwardTruststore().isEmpty() ? null
                : ForwardTrust.of(Path.of(settings.forwardTruststore()), settings.forwardTruststorePassword());
        configureHttpComponents(context, settings, forwardTrust);
        configureForwardClient(context, vertx, settings, forwardTrust);
        PlatformHttpComponent platformHttp = context.getComponent("platform-http", PlatformHttpComponent.class);
        platformHttp.setHeaderFilterStrategy(new ResponseHeaderFilter());
        platformHttp.setEngine(new EventLoopHttpEngine(new EventLoopRequests(settings.httpEventLoop())));

        StreamsLifecycle lifecycle = new StreamsLifecycle(settings);
        RequestValidator validator = new RequestValidator(settings.maxKeyLength());
        ForwardMarker marker = new ForwardMarker(List.of(settings.forwardSecret(), settings.forwardSecretPrevious()));
        StoreMetadata metadata = new StoreMetadata(lifecycle);
        Tokens tokens = new Tokens(List.of(settings.forwardSecret(), settings.forwardSecretPrevious()));
        Consistency consistency = new Consistency(lifecycle);
        context.addService(consistency, true, false);
        LocalReads localReads = new LocalReads(metadata, lifecycle, consistency);
        Replies replies = new Replies(settings.applicationServer(), tokens);

        Registry registry = context.getRegistry();
        registry.bind("settings", settings);
        registry.bind("streamsLifecycle", lifecycle);
        registry.bind("requests", new Requests(validator, marker, tokens, settings.pageMaxLimit(),
                settings.mode() == Settings.AppMode.OBSERVER));
        registry.bind("localReads", localReads);
        registry.bind("storeMetadata", metadata);
        registry.bind("replies", replies);
        Forwarding forwarding = new Forwarding(metadata, localReads, marker, new HostBackoff(), tokens,
                settings.forwardScheme(), settings.requestTimeoutMs());
        registry.bind("forwarding", forwarding);
        // The forward route's loop and filter conditions (ref: in routes/forward.camel.yaml). As predicates Camel
        // evaluates them on the exchange itself; as bean method expressions, on a copy of it at every evaluation.
        registry.bind("walkAnotherRound", (Predicate) forwarding::anotherRound);
        registry.bind("walkHasNext", (Predicate) forwarding::hasNext);
        registry.bind("walkUnsettled", (Predicate) forwarding::unsettled);
        PeerParts peerParts = new PeerParts(marker, tokens, settings.forwardScheme(), settings.forwardConnectTimeoutMs(),
                settings.forwardTimeoutMs(), forwardTrust == null ? null : forwardTrust.createSSLContext(context));
        registry.bind("scatterGather", new ScatterGather(metadata, localReads, peerParts, settings.wholeStoreConcurrency()));
        registry.bind("peerLags", new PeerLags(metadata, settings.forwardScheme()));
        Instances instances = new Instances(metadata, validator, replies);
        registry.bind("instances", instances);
        registry.bind("lines", new LinesIngest(settings.maxBodyBytes(), replies, tokens, settings.ingestToken(),
                settings.mode() == Settings.AppMode.OBSERVER));
        LineWriter lineWriter = new LineWriter(settings, settings.ingestConcurrency(), settings.ingestTimeoutMs());
        registry.bind("lineWriter", lineWriter);
        context.addService(lineWriter, true, true);
        // The page at /ui/ (routes/ui.camel.yaml).
        UiFiles uiFiles = new UiFiles();
        registry.bind("uiFiles", uiFiles);
        registry.bind("uiRequests", new UiRequests(validator, uiFiles));
        registry.bind("clusterView", new ClusterView(metadata, replies, settings.forwardScheme(), settings.uiObservers()));
        registry.bind("lookupTrace", new LookupTrace(metadata, instances));
        // Typed predicates the routes branch on (ref: notLocal, gather, uiClusterView, uiLookup).
        registry.bind("notLocal", PredicateBuilder.isInstanceOf(ExpressionBuilder.bodyExpression(), QueryResult.NotLocal.class));
        registry.bind("gather", PredicateBuilder.isInstanceOf(ExpressionBuilder.bodyExpression(), QueryResult.Gather.class));
        registry.bind("uiClusterView", PredicateBuilder.isInstanceOf(ExpressionBuilder.bodyExpression(), UiRequest.ClusterView.class));
        registry.bind("uiLookup", PredicateBuilder.isInstanceOf(ExpressionBuilder.bodyExpression(), UiRequest.Lookup.class));

        // Streams starts with the context; its close waits for the HTTP routes to drain first.
        context.addService(lifecycle, true, true);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new StreamsHealthCheck(lifecycle, false));
        health.register(new StreamsHealthCheck(lifecycle, true));
        context.getManagementStrategy().addEventNotifier(new RequestMetrics());
        context.addRoutePolicyFactory(new RequestTracing(settings.accessLog()));
        StreamsMetrics streamsMetrics = new StreamsMetrics(context, settings.applicationId());
        registry.bind("streamsMetrics", streamsMetrics);
        lifecycle.whenFirstRunning(streamsMetrics::bind);
        context.addService(streamsMetrics, true, false);
        // A graceful stop turns readiness false before routes drain and Streams leaves the group.
        on(context, CamelEvent.CamelContextStoppingEvent.class, lifecycle::markStopping);

        HttpServerErrors serverErrors = new HttpServerErrors(settings.httpPort(), replies, lifecycle::isStopping);
        serverErrors.installOnStart(context);
        AtomicBoolean listenersAdded = new AtomicBoolean();
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                serverErrors.routesUp(ctx);
                if (settings.httpEventLoop() && listenersAdded.compareAndSet(false, true)) {
                    EventLoopListeners.install(ctx, settings.httpPort(), Runtime.getRuntime().availableProcessors());
                }
            }
        });

        if (settings.routesReloadIntervalMs() > 0) {
            RoutesDirectoryWatcher watcher = new RoutesDirectoryWatcher(context, settings.routesDir(),
                    settings.routesReloadIntervalMs());
            registry.bind("routesWatcher", watcher);
            context.addStartupListener((ctx, alreadyStarted) -> {
                if (!alreadyStarted) {
                    ServiceHelper.startService(watcher);
                }
            });
            context.addService(watcher, true, false);
        }
    }

    private static void configureHttpComponents(CamelContext context, Settings settings, SSLContextParameters trust) {
        if (trust != null) {
            context.getComponent("https", HttpComponent.class).setSslContextParameters(trust);
        }
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

    /** Runs {@code action} on every Camel event of this type. */
    private static void on(CamelContext context, Class<? extends CamelEvent> type, Runnable action) {
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return type.isInstance(event);
            }

            @Override
            public void notify(CamelEvent event) {
                action.run();
            }
        });
    }

    /**
     * The HTTP server's threads, and the forward client's name resolution. Vert.x resolves names itself (DNS and
     * /etc/hosts, as the JDK does); a JVM started with -Djdk.net.hosts.file (the demo's host names) resolves with that
     * file first, as the JDK would.
     */
    static VertxOptions vertxOptions(Settings settings) {
        VertxOptions options = new VertxOptions().setWorkerPoolSize(settings.httpWorkerThreads());
        String hostsFile = System.getProperty("jdk.net.hosts.file");
        if (hostsFile != null && !hostsFile.isBlank()) {
            options.setAddressResolverOptions(new AddressResolverOptions().setHostsPath(hostsFile));
        }
        return options;
    }

    /** The forward hop's client: camel-vertx-http on the server's Vert.x, with {@link #forwardClientOptions}. */
    private static void configureForwardClient(CamelContext context, Vertx vertx, Settings settings,
                                               SSLContextParameters trust) throws Exception {
        VertxHttpComponent client = context.getComponent("vertx-http", VertxHttpComponent.class);
        client.setVertx(vertx);
        client.setWebClientOptions(forwardClientOptions(settings, trust));
    }

    /**
     * The same limits as camel-http's were: a connect timeout, up to 64 connections per peer, no redirects, no
     * compression. With FORWARD_SCHEME=https every hop is TLS, host names are verified and the host is named (SNI):
     * an ingress serves several hosts on one address.
     */
    static WebClientOptions forwardClientOptions(Settings settings, SSLContextParameters trust) throws Exception {
        boolean https = "https".equals(settings.forwardScheme());
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout(settings.forwardConnectTimeoutMs())
                .setMaxPoolSize(64)
                .setKeepAlive(true)
                .setFollowRedirects(false)
                .setTryUseCompression(false)
                .setUserAgentEnabled(false)
                .setSsl(https)
                .setVerifyHost(true)
                .setForceSni(https);
        if (trust != null) {
            // Trust only, straight into Vert.x: camel-vertx-http's SSLContextParameters path (4.18) dereferences a
            // key manager factory that a trust-only configuration does not have.
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust.getTrustManagers().getKeyStore().createKeyStore());
            options.setTrustOptions(TrustOptions.wrap(factory));
        }
        return options;
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
