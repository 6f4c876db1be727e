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
 * request that meets a refused connection, a timeout or a 502/503 is tried on the next instance (GET only).
 */
public final class NginxProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private NginxProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static NginxProcess start(Path dir, List<InstanceProcess> upstreams) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        int port = Ports.free();
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
                "  access_log " + dir.resolve("logs/access.log") + ";",
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
                "    }",
                "  }",
                "}", "");
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", confFile.toString(),
                "-e", dir.resolve("logs/error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        NginxProcess nginxProcess = new NginxProcess(process, port);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(nginxProcess::listening);
        return nginxProcess;
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
