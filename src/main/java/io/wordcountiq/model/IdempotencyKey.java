package io.wordcountiq.model;

/**
 * A POST /lines request's {@code Idempotency-Key} (IETF httpapi draft "The Idempotency-Key HTTP Header Field") and
 * the hash of its body: every attempt with the key counts once, an attempt with another body is a conflict (422).
 *
 * @param key      1 to 255 visible ASCII characters (0x21–0x7E), as sent (a Structured Field string's quotes removed)
 * @param bodyHash the first 8 bytes of the SHA-256 of the request body
 */
public record IdempotencyKey(String key, long bodyHash) {

    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (!valid(key)) {
            throw new IllegalArgumentException("not an idempotency key");
        }
    }

    /** Whether a header value, its quotes removed, is a key this service takes. */
    public static boolean valid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The header's value without the quotes of a Structured Field string ({@code "abc"} or {@code abc}). */
    public static String unquoted(String header) {
        String v = header.trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
