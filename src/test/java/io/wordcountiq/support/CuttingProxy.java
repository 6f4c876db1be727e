package io.wordcountiq.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of one instance that drops some connections the way a network does after a request was sent:
 * the whole request reaches the instance, which handles it, but the client's connection is reset as the answer comes
 * back, so the client cannot know the outcome. One request per connection (the client sends Connection: close).
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicLong cut = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private volatile int targetPort;

    private CuttingProxy(int targetPort, double cutShare) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    boolean cutThis = ThreadLocalRandom.current().nextDouble() < cutShare;
                    pool.submit(() -> relay(client, cutThis));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Proxies to localhost:targetPort, cutting {@code cutShare} (0..1) of the connections as their answer starts. */
    public static CuttingProxy start(int targetPort, double cutShare) throws IOException {
        return new CuttingProxy(targetPort, cutShare);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections cut after their request was sent. */
    public long cut() {
        return cut.get();
    }

    public long passed() {
        return passed.get();
    }

    private void relay(Socket client, boolean cutThis) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            client.setSoTimeout(30_000);
            upstream.setSoTimeout(30_000);
            pool.submit(() -> copy(client, upstream));
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toClient = client.getOutputStream();
            byte[] buf = new byte[8192];
            int n = fromUpstream.read(buf);
            if (cutThis && n > 0) {
                // The instance has answered: the request was handled. The client never learns it.
                cut.incrementAndGet();
                client.setSoLinger(true, 0);
                return;
            }
            passed.incrementAndGet();
            while (n > 0) {
                toClient.write(buf, 0, n);
                n = fromUpstream.read(buf);
            }
        } catch (IOException e) {
            // The instance went away, or the client did: the client sees a broken connection.
        }
    }

    private static Void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // Either side closed.
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
