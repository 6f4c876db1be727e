package io.wordcountiq.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One wordcount-iq JVM started from the packaged jar, as an operator would run it. */
public final class InstanceProcess implements AutoCloseable {

    private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("\"host\":\"([^\"]+)\",\"port\":(\\d+)");

    private final String name;
    private final Path dir;
    private final Map<String, String> env;
    private final int httpPort;
    private final int managementPort;
    private Process process;

    public InstanceProcess(String name, Path dir, Map<String, String> env) {
        this.name = name;
        this.dir = dir;
        this.httpPort = Integer.parseInt(env.getOrDefault("HTTP_PORT", Integer.toString(Ports.free())));
        this.managementPort = Ports.free();
        this.env = new HashMap<>(env);
        this.env.put("HTTP_PORT", Integer.toString(httpPort));
        this.env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        this.env.putIfAbsent("STATE_DIR", dir.resolve("state").toAbsolutePath().toString());
    }

    public InstanceProcess start() throws IOException {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(List.of(Jvm.java(), "-Xmx320m", "-XX:+UseSerialGC", "-jar",
                Path.of("target", "wordcount-iq.jar").toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("instance.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.equals("APPLICATION_SERVER"));
        pb.environment().putAll(env);
        process = pb.start();
        return this;
    }

    public InstanceProcess awaitReady(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited, see " + dir.resolve("instance.log"));
                    }
                    return Http.get("http://localhost:" + managementPort + "/observe/health/ready").status() == 200;
                });
        return this;
    }

    /** Whether /observe/health/ready answers 200 right now. */
    public boolean ready() {
        return Http.get("http://localhost:" + managementPort + "/observe/health/ready").status() == 200;
    }

    /** The address ("host:port") of the instance this one says owns a word of the word-count store. */
    public String ownerOf(String word) {
        java.util.regex.Matcher m = OWNER.matcher(Http.get(url("/state/instance/word-count/"
                + io.wordcountiq.model.PathSegments.encode(word))).body());
        if (!m.find()) {
            throw new AssertionError(name + " names no owner of " + word);
        }
        return m.group(1) + ":" + m.group(2);
    }

    /** A URL of the management port (health, metrics). */
    public String managementUrl(String path) {
        return "http://localhost:" + managementPort + path;
    }

    public String url(String path) {
        return "http://localhost:" + httpPort + path;
    }

    public String address() {
        return env.getOrDefault("APPLICATION_SERVER", "localhost:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public String name() {
        return name;
    }

    /** Everything the instance has logged so far. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("instance.log"));
    }

    public long pid() {
        return process.pid();
    }

    /** A graceful stop (SIGTERM), as Kubernetes does it; returns how long the instance took to exit. */
    public Duration stop() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop within 60 s");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The settings it was started with, to start it again the same way. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** kill -9: no shutdown hook, no leave-group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
