package io.wordcountiq.http;

import io.wordcountiq.settings.Settings;
import io.wordcountiq.threading.RouteThreading;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * platform-http on the {@link ApiServer}: every HTTP route's consumer is an {@link ApiConsumer}, which runs a route
 * declared {@code routePolicy: eventLoop} on the event loop that received the request (through Camel's asynchronous
 * routing engine, so no thread waits for a peer, a timer or a pool), reads a body only when the route asks for it, and
 * writes every answer itself.
 */
public final class ApiEngine extends VertxPlatformHttpEngine {

    private final Settings settings;
    private final ApiConsumer.Shared shared;

    public ApiEngine(ApiServer server, RouteThreading threading, Settings settings) {
        this.settings = settings;
        this.shared = new ApiConsumer.Shared(server.errors(), threading, new UploadBudget(settings.uploadBufferBytes()),
                settings);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        // Bodies are read by the route that takes one (a RequestBody), never up front by a body handler.
        endpoint.setUseBodyHandler(false);
        return new ApiConsumer(endpoint, processor, VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), shared);
    }

    @Override
    public int getServerPort() {
        return settings.httpPort();
    }
}
