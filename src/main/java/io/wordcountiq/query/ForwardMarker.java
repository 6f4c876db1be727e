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

    private final SecretKeySpec key;

    public ForwardMarker(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String sign(long nowMs) {
        long expiry = nowMs + VALIDITY_MS;
        return expiry + "." + mac(Long.toString(expiry));
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
        byte[] expected = mac(Long.toString(expiry)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, marker.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
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
