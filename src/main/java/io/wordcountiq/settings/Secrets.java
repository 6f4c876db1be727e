package io.wordcountiq.settings;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The shared secrets: the one that marks forwarded requests (and the one before it, during a rotation) and the
 * token that admits line uploads (empty for none).
 */
public record Secrets(String forwardSecret, String forwardSecretPrevious, String ingestToken) {

    static Secrets read(SettingValues v, boolean embeddedKafka) {
        return new Secrets(
                forwardSecret(v.text("forward.secret", ""), embeddedKafka),
                v.text("forward.secret.previous", ""),
                v.text("ingest.token", ""));
    }

    /**
     * The secret that marks forwarded requests. With an external broker every instance must share one from a Secret;
     * a secret derived from public configuration could be computed by anyone, so there is no default. The embedded
     * broker serves one process only: it gets a random secret of its own.
     */
    static String forwardSecret(String configured, boolean embedded) {
        if (!configured.isEmpty()) {
            if (configured.length() < 16) {
                throw new IllegalArgumentException("FORWARD_SECRET must be at least 16 characters (use 32 random bytes, "
                        + "e.g. openssl rand -base64 32)");
            }
            return configured;
        }
        if (!embedded) {
            throw new IllegalArgumentException("FORWARD_SECRET is not set: with KAFKA_BOOTSTRAP_SERVERS every instance "
                    + "must share a secret for forwarded requests (from a Secret; e.g. openssl rand -base64 32)");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
