package io.wordcountiq.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the instances' shared secrets: FORWARD_SECRET, and FORWARD_SECRET_PREVIOUS during a rotation.
 * Every instance signs with the current secret and accepts a signature under either. Each use keys its HMAC with its
 * own prefix, so a signature made for one use (a forward mark, a consistency token) is worth nothing for another.
 * One {@link Mac} per secret and thread.
 */
final class SharedSecrets {

    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;
    private final ThreadLocal<Mac[]> macs;

    /** @param secrets the current secret first, then the previous one; empty ones are left out */
    SharedSecrets(List<String> secrets, String prefix) {
        this.keys = secrets.stream().filter(s -> !s.isEmpty())
                .map(s -> new SecretKeySpec((prefix + s).getBytes(StandardCharsets.UTF_8), ALGORITHM)).toList();
        this.macs = ThreadLocal.withInitial(() -> keys.stream().map(SharedSecrets::mac).toArray(Mac[]::new));
    }

    /** The HMAC of {@code data} under the current secret. */
    byte[] sign(byte[] data) {
        return macs.get()[0].doFinal(data);
    }

    /** The HMAC of {@code data} under every secret, the current one first: a signature is valid if it is one of them. */
    List<byte[]> signatures(byte[] data) {
        Mac[] all = macs.get();
        List<byte[]> out = new ArrayList<>(all.length);
        for (Mac mac : all) {
            out.add(mac.doFinal(data));
        }
        return out;
    }

    /** A signature (or a payload) as it travels in a header: base64url without padding. */
    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
