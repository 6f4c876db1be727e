package io.wordcountiq.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Marks a request as forwarded by a peer, so the receiver answers from its own copy only (at most one hop). The
 * mark is an HMAC-SHA256 under FORWARD_SECRET of a near expiry, a nonce, the instance it is for (its
 * application.server) and the request it travels with (method, path, query): it cannot be made from public
 * configuration, it is worth nothing on another request or at another instance, and an instance takes each mark once.
 * It is accepted from its making for {@link #VALIDITY_MS} plus {@link #SKEW_MS} of clock skew between instances
 * (NTP keeps Kubernetes nodes well within a second). During a rotation the previous secret is accepted too
 * (FORWARD_SECRET_PREVIOUS) while every instance signs with the current one.
 *
 * <p>Format: {@code v3.<expiry epoch ms>.<nonce>.<base64url HMAC>}.
 */
public final class ForwardMarker {

    private static final String VERSION = "v3";
    static final long VALIDITY_MS = 5_000;
    /** Tolerated clock skew between instances; VALIDITY_MS + SKEW_MS is the whole window a mark is accepted in. */
    static final long SKEW_MS = 5_000;

    private final SharedSecrets secrets;
    private final String self;
    private final Seen seen = new Seen(VALIDITY_MS + 2 * SKEW_MS);

    /**
     * @param secrets the current secret first, then the previous one during a rotation
     * @param self    this instance's application.server: only marks made for it are taken
     */
    public ForwardMarker(List<String> secrets, String self) {
        if (secrets.isEmpty() || secrets.get(0).isEmpty()) {
            throw new IllegalArgumentException("a forward secret is needed");
        }
        this.secrets = new SharedSecrets(secrets, "");
        this.self = self;
    }

    public ForwardMarker(String secret, String self) {
        this(List.of(secret), self);
    }

    /** The mark for a request this instance sends to the peer at {@code target} (its application.server). */
    public String sign(String target, String method, String path, String query, long nowMs) {
        long expiry = nowMs + VALIDITY_MS;
        byte[] nonce = new byte[8];
        ThreadLocalRandom.current().nextBytes(nonce);
        String n = SharedSecrets.base64Url(nonce);
        return VERSION + "." + expiry + "." + n + "." + SharedSecrets.base64Url(secrets.sign(data(expiry, n, target, method,
                path, query)));
    }

    /**
     * True when the mark was made under a shared secret for exactly this request at this instance, is fresh, and was
     * not taken before.
     */
    public boolean verify(String mark, String method, String path, String query, long nowMs) {
        if (mark == null || mark.length() > 160 || !mark.startsWith(VERSION + ".")) {
            return false;
        }
        String[] parts = mark.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        long expiry;
        long nonce;
        try {
            expiry = Long.parseLong(parts[1]);
            byte[] n = Base64.getUrlDecoder().decode(parts[2]);
            if (n.length != 8) {
                return false;
            }
            nonce = ByteBuffer.wrap(n).getLong();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (expiry < nowMs - SKEW_MS || expiry > nowMs + VALIDITY_MS + SKEW_MS) {
            return false;
        }
        byte[] given = parts[3].getBytes(StandardCharsets.US_ASCII);
        byte[] data = data(expiry, parts[2], self, method, path, query);
        for (byte[] signature : secrets.signatures(data)) {
            if (MessageDigest.isEqual(given, SharedSecrets.base64Url(signature).getBytes(StandardCharsets.US_ASCII))) {
                return seen.firstTime(nonce, nowMs);
            }
        }
        return false;
    }

    private static byte[] data(long expiry, String nonce, String target, String method, String path, String query) {
        return (VERSION + "\n" + expiry + "\n" + nonce + "\n" + target + "\n" + method + "\n" + (path == null ? "" : path)
                + "\n" + (query == null ? "" : query)).getBytes(StandardCharsets.UTF_8);
    }

    /** The nonces of the marks taken in the last two windows: a mark replayed while it is still fresh is refused. */
    private static final class Seen {
        private final long windowMs;
        private volatile Set<Long> current = ConcurrentHashMap.newKeySet();
        private volatile Set<Long> previous = ConcurrentHashMap.newKeySet();
        private volatile long currentSinceMs;

        Seen(long windowMs) {
            this.windowMs = windowMs;
        }

        boolean firstTime(long nonce, long nowMs) {
            if (nowMs - currentSinceMs > windowMs) {
                synchronized (this) {
                    if (nowMs - currentSinceMs > windowMs) {
                        previous = current;
                        current = ConcurrentHashMap.newKeySet();
                        currentSinceMs = nowMs;
                    }
                }
            }
            return !previous.contains(nonce) && current.add(nonce);
        }
    }
}
