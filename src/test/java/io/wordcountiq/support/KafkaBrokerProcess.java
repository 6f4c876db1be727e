package io.wordcountiq.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real single-node KRaft broker in its own JVM, from the broker jars in target/lib. It can be stopped and restarted. */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Path TEMPLATE = Path.of("scripts", "lib", "broker.properties");

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBrokerProcess(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public static KafkaBrokerProcess start(Path dir) throws IOException, InterruptedException {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, Ports.free(), Ports.free());
        broker.format();
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    private void format() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        // One template serves the scripts (scripts/lib/cluster.sh) and the tests.
        Files.writeString(dir.resolve("server.properties"), Files.readString(TEMPLATE)
                .replace("@PORT@", Integer.toString(port))
                .replace("@CONTROLLER_PORT@", Integer.toString(controllerPort))
                .replace("@LOG_DIRS@", dir.resolve("data").toAbsolutePath().toString()));
        Process format = new ProcessBuilder(Jvm.java(), "-cp", Jvm.libClasspath(), "kafka.tools.StorageTool", "format",
                "-t", org.apache.kafka.common.Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        if (format.waitFor() != 0) {
            throw new IllegalStateException("kafka storage format failed, see " + dir.resolve("format.log"));
        }
    }

    public void startProcess() throws IOException {
        process = new ProcessBuilder(List.of(Jvm.java(), "-Xmx512m", "-cp", Jvm.libClasspath(), "kafka.Kafka",
                dir.resolve("server.properties").toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::listening);
    }

    /** A clean stop, as in a rolling restart. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private boolean listening() {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
