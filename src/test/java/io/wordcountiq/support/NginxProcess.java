package io.wordcountiq.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real nginx in front of some instances, as a Kubernetes Service with an ingress would be: round robin, and a
 * request that meets a refused connection, a timeout or a 502/503 within its first second is tried on the next
 * instance (GET only). Like the endpoints controller, a test takes an instance out before stopping it and puts it back once it is ready
 * ({@link #serve}), and nginx reloads its configuration without dropping a request.
 */
public final class NginxProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private NginxProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static NginxProcess start(Path dir, List<InstanceProcess> upstreams) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        int port = Ports.free();
        Path confFile = writeConf(dir, port, upstreams);
        Process process = new ProcessBuilder(nginx(), "-p", dir.toString(), "-c", confFile.toString(),
                "-e", dir.resolve("logs/error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        NginxProcess nginxProcess = new NginxProcess(process, port, dir);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(nginxProcess::listening);
        return nginxProcess;
    }

    /** Routes to exactly these instances from now on (nginx -s reload: running requests finish on the old set). */
    public void serve(List<InstanceProcess> upstreams) throws IOException, InterruptedException {
        Path confFile = writeConf(dir, port, upstreams);
        Process reload = new ProcessBuilder(nginx(), "-p", dir.toString(), "-c", confFile.toString(),
                "-e", dir.resolve("logs/error.log").toString(), "-s", "reload").redirectErrorStream(true)
                .redirectOutput(dir.resolve("reload.out").toFile()).start();
        if (reload.waitFor() != 0) {
            throw new IllegalStateException("nginx reload failed: " + Files.readString(dir.resolve("reload.out")));
        }
        // The master starts new workers and lets the old ones finish their requests.
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
    }

    private static String nginx() {
        return Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    }

    private static Path writeConf(Path dir, int port, List<InstanceProcess> upstreams) throws IOException {
        String servers = upstreams.stream().map(i -> "    server 127.0.0.1:" + i.httpPort() + " max_fails=0;")
                .collect(Collectors.joining("\n"));
        String conf = String.join("\n",
                "root".equals(System.getProperty("user.name")) ? "user root;" : "",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " warn;",
                "events { worker_connections 1024; }",
                "http {",
                "  client_body_temp_path " + dir.resolve("tmp/body") + ";",
                "  proxy_temp_path " + dir.resolve("tmp/proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("tmp/fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("tmp/uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("tmp/scgi") + ";",
                "  log_format timed '$remote_addr [$time_local] \"$request\" $status $request_time"
                        + " upstreams=$upstream_addr statuses=$upstream_status times=$upstream_response_time';",
                "  access_log " + dir.resolve("logs/access.log") + " timed;",
                "  upstream instances {",
                servers,
                "    keepalive 16;",
                "  }",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    location / {",
                "      proxy_pass http://instances;",
                "      proxy_http_version 1.1;",
                "      proxy_set_header Connection \"\";",
                "      proxy_connect_timeout 1s;",
                "      proxy_read_timeout 10s;",
                "      proxy_next_upstream error timeout http_502 http_503;",
                // Only a quick failure is tried again elsewhere (a refused connection, an instance stopping): a 503
                // that comes after an instance spent the request's deadline (a token no copy covers yet) is the
                // answer, not a reason to spend a second deadline on another instance.
                "      proxy_next_upstream_timeout 1s;",
                "    }",
                "  }",
                "}", "");
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        return confFile;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx exited; see its error log");
        }
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
