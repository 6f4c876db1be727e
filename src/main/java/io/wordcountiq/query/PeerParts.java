package io.wordcountiq.query;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.util.Timeout;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Opens another instance's part of a whole-store request as a stream: the part is parsed entry by entry while the
 * merge reads it, so no instance ever holds a whole store. A read that waits longer than FORWARD_TIMEOUT_MS fails
 * (the socket timeout), and closing the part drops its connection.
 */
public class PeerParts implements AutoCloseable {

    private final CloseableHttpClient client;
    private final ForwardMarker marker;
    private final Tokens tokens;
    private final String scheme;

    public PeerParts(ForwardMarker marker, Tokens tokens, String scheme, int connectTimeoutMs, int readTimeoutMs,
                     SSLContext ssl) {
        this.marker = marker;
        this.tokens = tokens;
        this.scheme = scheme;
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(256)
                .setMaxConnPerRoute(64)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .setSocketTimeout(Timeout.ofMilliseconds(readTimeoutMs))
                        .build());
        if (ssl != null) {
            pool.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).buildClassic());
        }
        this.client = HttpClients.custom()
                .setConnectionManager(pool.build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .setResponseTimeout(Timeout.ofMilliseconds(readTimeoutMs))
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .evictIdleConnections(Timeout.of(30, TimeUnit.SECONDS))
                .build();
    }

    /**
     * Asks a peer for its part (the same path and query, marked as forwarded, so it answers from its own copies) and
     * reads up to its first entry. Throws if the peer cannot be reached or does not answer 200.
     */
    public StorePart open(HostInfo peer, RangeRequest request, TraceParent trace) throws IOException {
        String target = scheme + "://" + RecipientPlanner.address(peer) + request.path()
                + (request.query() == null ? "" : "?" + request.query());
        HttpGet get = new HttpGet(target);
        get.setHeader(Headers.FORWARDED, marker.sign("GET", request.path(), request.query(), System.currentTimeMillis()));
        if (!request.token().isEmpty()) {
            get.setHeader(Headers.TOKEN, tokens.encode(request.token()));
        }
        if (trace != null) {
            get.setHeader(Headers.TRACEPARENT, trace.child().header());
        }
        CloseableHttpResponse response = client.execute(get);
        try {
            if (response.getCode() != 200 || response.getEntity() == null) {
                throw new IOException(RecipientPlanner.address(peer) + " answered " + response.getCode());
            }
            var partitions = ScatterGather.partitions(response.getFirstHeader(Headers.PARTITIONS) == null ? null
                    : response.getFirstHeader(Headers.PARTITIONS).getValue());
            var tokenHeader = response.getFirstHeader(Headers.TOKEN);
            ConsistencyToken token = tokens.decode(tokenHeader == null ? null : tokenHeader.getValue());
            EntrySource entries = EntriesJson.read(response.getEntity().getContent());
            return new StorePart(RecipientPlanner.address(peer), new EntrySource() {
                @Override
                public KeyValueBean peek() {
                    return entries.peek();
                }

                @Override
                public KeyValueBean next() {
                    return entries.next();
                }

                @Override
                public void close() {
                    // Not read to the end: drop the connection rather than drain a whole store.
                    get.cancel();
                    entries.close();
                    closeQuietly(response);
                }
            }, partitions, token);
        } catch (IOException | RuntimeException e) {
            get.cancel();
            closeQuietly(response);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private static void closeQuietly(CloseableHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // The connection is gone either way.
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
