package io.wordcountiq.model;

import java.util.Map;

/**
 * One GET to another instance, as the {@code peer:} endpoint sends it (peer/PeerProducer): where to, the path and
 * query already in canonical, encoded form ({@link StoreRequest#path()}), the control headers to send, and whether
 * the answer is read whole or handed over as it arrives. The scheme, TLS and timeouts are the peer client's, the
 * same for every call.
 *
 * @param address host:port, an instance's application.server
 * @param query   the raw query string, or null
 * @param timeoutMs at most this long without an answer (a forwarded hop gets what is left of its request's deadline),
 *                  or 0 for the peer client's own timeout
 */
public record PeerCall(String address, String path, String query, Map<String, String> headers, Mode mode,
                       long timeoutMs) {

    public enum Mode {
        /** The whole answer in memory (bounded): a key's answer, a peer's self-description. */
        BUFFERED,
        /** The answer handed over as it arrives, with back-pressure: a peer's part of a whole-store answer. */
        STREAMED
    }

    public PeerCall {
        headers = Map.copyOf(headers);
    }

    public PeerCall(String address, String path, String query, Map<String, String> headers, Mode mode) {
        this(address, path, query, headers, mode, 0);
    }

    /** The target of the call, as logs and errors show it. */
    public String uri() {
        return address + path + (query == null ? "" : "?" + query);
    }
}
