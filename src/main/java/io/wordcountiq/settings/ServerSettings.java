package io.wordcountiq.settings;

import java.nio.file.Path;

/** The HTTP servers (API and management), their time limits, and the route files they serve. */
public record ServerSettings(
        int httpPort,
        int managementPort,
        String httpHost,
        int httpWorkerThreads,
        int idleTimeoutMs,
        long headerTimeoutMs,
        long writeTimeoutMs,
        long bodyTimeoutMs,
        long uploadBufferBytes,
        boolean accessLog,
        Path routesDir,
        long routesReloadIntervalMs) {

    static ServerSettings read(SettingValues v) {
        return new ServerSettings(
                v.integer("http.port"),
                v.integer("management.port"),
                v.text("http.host"),
                v.integer("http.worker.threads"),
                v.integer("idle.timeout.ms"),
                v.number("header.timeout.ms"),
                v.number("write.timeout.ms"),
                v.number("body.timeout.ms"),
                v.number("upload.buffer.bytes"),
                v.flag("access.log"),
                Path.of(v.text("routes.dir")),
                v.number("routes.reload.interval.ms"));
    }
}
