package io.wordcountiq.health;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * {@code GET /observe/info} on the management port: this build's version and build time, and nothing about the host
 * it runs on (Camel's own info page shows the pid, the user, the working directory and the kernel; it is off).
 */
public final class BuildInfo {

    private BuildInfo() {
    }

    /** The version and build time, from build.properties (written by the build). */
    public static JsonObject describe() {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JsonObject().put("name", "wordcount-iq")
                .put("version", build.getProperty("version", "unknown"))
                .put("built", build.getProperty("built", "unknown"));
    }

    /** Serves it on the management server's router (after the server started). */
    public static void serve(CamelContext context, int managementPort) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(managementPort));
        if (router == null) {
            return;
        }
        String body = describe().encode();
        router.get("/observe/info").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(body));
    }
}
