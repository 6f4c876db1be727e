package io.wordcountiq.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Marks a request as forwarded by a peer, so the receiver answers from its own copy only (at most one hop). The
 * mark is an HMAC-SHA256 under FORWARD_SECRET of a near expiry and of the request it travels with (method, path,
 * query): it cannot be made from public configuration, and it is worth nothing on another request. Its validity
 * plus the clock-skew allowance is 60 s. During a rotation the previous secret is accepted too (FORWARD_SECRET_PREVIOUS)
 * while every instance signs with the current one.
 *
 * <p>Format: {@code v2.<expiry epoch ms>.<base64url HMAC>}. A check that fails never loops: the request is then
 * treated as a client's, and the walk's deadline bounds it.
 */
public final class ForwardMarker {

    private static final String VERSION = "v2";
    static final long VALIDITY_MS = 30_000;
    /** Tolerated clock skew between instances; VALIDITY_MS + SKEW_MS is the whole window a mark is accepted in. */
    static final long SKEW_MS = 30_000;

    private final SharedSecrets secrets;

    /** @param secrets the current secret first, then the previous one during a rotation */
    public ForwardMarker(List<String> secrets) {
        if (secrets.isEmpty() || secrets.get(0).isEmpty()) {
            throw new IllegalArgumentException("a forward secret is needed");
        }
        this.secrets = new SharedSecrets(secrets, "");
    }

    public ForwardMarker(String secret) {
        this(List.of(secret));
    }

    /** The mark for a request this instance sends to a peer. */
    public String sign(String method, String path, String query, long nowMs) {
        long expiry = nowMs + VALIDITY_MS;
        return VERSION + "." + expiry + "." + SharedSecrets.base64Url(secrets.sign(data(expiry, method, path, query)));
    }

    /** True when the mark was made under a shared secret for exactly this request, and is fresh. */
    public boolean verify(String mark, String method, String path, String query, long nowMs) {
        if (mark == null || mark.length() > 128 || !mark.startsWith(VERSION + ".")) {
            return false;
        }
        int dot = mark.indexOf('.', VERSION.length() + 1);
        if (dot < 0) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(mark.substring(VERSION.length() + 1, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (expiry < nowMs - SKEW_MS || expiry > nowMs + VALIDITY_MS + SKEW_MS) {
            return false;
        }
        byte[] given = mark.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        for (byte[] signature : secrets.signatures(data(expiry, method, path, query))) {
            if (MessageDigest.isEqual(given, SharedSecrets.base64Url(signature).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] data(long expiry, String method, String path, String query) {
        return (VERSION + "\n" + expiry + "\n" + method + "\n" + (path == null ? "" : path) + "\n"
                + (query == null ? "" : query)).getBytes(StandardCharsets.UTF_8);
    }
}
