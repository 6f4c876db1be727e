package io.wordcountiq.query;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Marks a request as forwarded by a peer, so the receiver answers from its own state only (at most one hop).
 * The mark is an HMAC over a near expiry: a client cannot forge it to change how a request is served. It covers no
 * path on purpose: a proxy between instances may re-encode the path, and a failed check must never cause a loop.
 */
public final class ForwardMarker {

    private static final String ALGORITHM = "HmacSHA256";
    private static final long VALIDITY_MS = 300_000;
    /** Tolerated clock skew between instances. */
    private static final long SKEW_MS = 60_000;

    /** A token is reused for this long, so the hot path rarely computes an HMAC. */
    private static final long REUSE_MS = 10_000;

    private final SecretKeySpec key;
    private volatile Token current;
    private volatile String lastVerified = "";

    private record Token(long expiry, String value) {
    }

    public ForwardMarker(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String sign(long nowMs) {
        Token token = current;
        if (token == null || token.expiry() - VALIDITY_MS + REUSE_MS < nowMs) {
            long expiry = nowMs + VALIDITY_MS;
            token = new Token(expiry, expiry + "." + mac(Long.toString(expiry)));
            current = token;
        }
        return token.value();
    }

    public boolean verify(String marker, long nowMs) {
        if (marker == null) {
            return false;
        }
        int dot = marker.indexOf('.');
        if (dot <= 0 || marker.length() > 128) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(marker.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (expiry < nowMs - SKEW_MS || expiry > nowMs + VALIDITY_MS + SKEW_MS) {
            return false;
        }
        if (marker.equals(lastVerified)) {
            return true;
        }
        byte[] expected = mac(Long.toString(expiry)).getBytes(StandardCharsets.US_ASCII);
        boolean valid = MessageDigest.isEqual(expected, marker.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
        if (valid) {
            lastVerified = marker;
        }
        return valid;
    }

    private String mac(String data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
