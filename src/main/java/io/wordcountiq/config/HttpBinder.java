package io.wordcountiq.config;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.wordcountiq.http.Admission;
import io.wordcountiq.http.ApiEngine;
import io.wordcountiq.http.ApiServer;
import io.wordcountiq.http.ResponseHeaderFilter;
import io.wordcountiq.http.StoreRequestReader;
import io.wordcountiq.peer.PeerClient;
import io.wordcountiq.peer.PeerComponent;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.threading.EventLoopPolicy;
import io.wordcountiq.threading.RouteThreading;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;

/** The API's HTTP server on its own Vert.x, the client for calls to peers, and what admits requests. */
final class HttpBinder {

    /** What the other binders need of the HTTP layer. */
    record Http(ApiServer server, PeerClient peers, RouteThreading threading) {
    }

    private HttpBinder() {
    }

    /**
     * The API's own Vert.x (not in the registry: the management server makes one of its own, so health and metrics
     * never share a thread with the API), its server, and the one client for calls to peers.
     */
    static Http start(CamelContext context, Settings settings) throws Exception {
        Registry registry = context.getRegistry();
        Vertx vertx = Vertx.vertx(vertxOptions(settings));
        ContextEvents.on(context, CamelEvent.CamelContextStoppedEvent.class, vertx::close);
        ApiServer server = new ApiServer(context, vertx, settings);
        context.addService(server, true, true);
        PeerClient peers = PeerClient.create(vertx, settings);
        context.addComponent("peer", new PeerComponent(peers));
        RouteThreading threading = new RouteThreading(name -> {
            Object bean = registry.lookupByName(name);
            return bean == null ? null : bean.getClass();
        });
        registry.bind(EventLoopPolicy.NAME, new EventLoopPolicy());
        PlatformHttpComponent platformHttp = context.getComponent("platform-http", PlatformHttpComponent.class);
        platformHttp.setHeaderFilterStrategy(new ResponseHeaderFilter());
        platformHttp.setEngine(new ApiEngine(server, threading, settings));
        return new Http(server, peers, threading);
    }

    /** Binds what admits and reads a request; returns the admission, whose meters bind once metrics exist. */
    static Admission bindRequests(Registry registry, SharedBeans shared) {
        Settings settings = shared.settings();
        Admission admission = new Admission(admissionBounds(settings));
        registry.bind("admission", admission);
        registry.bind("requests", new StoreRequestReader(shared.validator(), shared.marker(), shared.tokens(),
                settings.pageMaxLimit(), settings.defaultMaxLag()));
        registry.bind("replies", shared.replies());
        return admission;
    }

    private static Map<Admission.Kind, Integer> admissionBounds(Settings settings) {
        Map<Admission.Kind, Integer> bounds = new EnumMap<>(Admission.Kind.class);
        bounds.put(Admission.Kind.KEY_LOOKUPS, settings.admitKeyLookups());
        bounds.put(Admission.Kind.TOKEN_WAITS, settings.admitTokenWaits());
        bounds.put(Admission.Kind.PAGES, settings.admitPages());
        bounds.put(Admission.Kind.WHOLE_STORE, settings.wholeStoreConcurrency());
        bounds.put(Admission.Kind.PARTS, settings.wholeStoreConcurrency());
        bounds.put(Admission.Kind.UI, settings.admitUi());
        bounds.put(Admission.Kind.INGEST, settings.admitIngest());
        return bounds;
    }

    /**
     * The API's event loops (one per core) and worker threads (for routes not declared to run on the event loop),
     * and name resolution for calls to peers. Vert.x resolves names itself (DNS and /etc/hosts, as the JDK does); a
     * JVM started with -Djdk.net.hosts.file (the demo's host names) resolves with that file first, as the JDK would.
     */
    static VertxOptions vertxOptions(Settings settings) {
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(settings.httpWorkerThreads());
        String hostsFile = System.getProperty("jdk.net.hosts.file");
        if (hostsFile != null && !hostsFile.isBlank()) {
            options.setAddressResolverOptions(new AddressResolverOptions().setHostsPath(hostsFile));
        }
        return options;
    }
}
