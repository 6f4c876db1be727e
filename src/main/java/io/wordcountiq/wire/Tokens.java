package io.wordcountiq.wire;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of a {@link ConsistencyToken}: {@code t1.<payload>.<mac>}, both base64url, safe in a header, a query
 * string and through any proxy. The payload is {@code w=p:o,p:o;s=p:o,…[;t=p,p][;o=p:o,…][;v=p:o,…]} (writes, seen
 * positions, the store partitions the writes touched, and the output-topic positions observers were read at, of the
 * counts and of the windowed counts); the MAC is a
 * truncated HMAC-SHA256 under FORWARD_SECRET, so a token is opaque to clients and one they make up is refused (400)
 * at once instead of stalling a read for its whole budget. Any instance of either cluster reads any instance's token.
 */
public final class Tokens {

    private static final String VERSION = "t1";
    private static final int MAC_BYTES = 12;
    private static final int MAX_LENGTH = 2048;

    private final SharedSecrets secrets;

    /** @param secrets the current secret first, then the previous one during a rotation */
    public Tokens(java.util.List<String> secrets) {
        this.secrets = new SharedSecrets(secrets, "iq-token:");
    }

    public String encode(ConsistencyToken token) {
        String payload = "w=" + pairs(token.writes()) + ";s=" + pairs(token.positions())
                + (token.touched() == null || token.writes().isEmpty() ? "" : ";t=" + list(token.touched()))
                + (token.observed().isEmpty() ? "" : ";o=" + pairs(token.observed()))
                + (token.observedWindows().isEmpty() ? "" : ";v=" + pairs(token.observedWindows()));
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return VERSION + "." + SharedSecrets.base64Url(bytes) + "." + macOf(bytes);
    }

    /** The MAC of a payload under the current secret, as a token carries it. */
    String macOf(byte[] payload) {
        return SharedSecrets.base64Url(truncated(secrets.sign(payload)));
    }

    /** The token a client presented; null or empty is no token. A token that is not ours is a 400. */
    public ConsistencyToken decode(String wire) {
        if (wire == null || wire.isBlank()) {
            return ConsistencyToken.NONE;
        }
        String[] parts = wire.trim().split("\\.");
        if (wire.length() > MAX_LENGTH || parts.length != 3 || !parts[0].equals(VERSION)) {
            throw invalid();
        }
        byte[] payload;
        byte[] given;
        try {
            payload = Base64.getUrlDecoder().decode(parts[1]);
            given = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        boolean valid = false;
        for (byte[] signature : secrets.signatures(payload)) {
            valid |= MessageDigest.isEqual(given, truncated(signature));
        }
        if (!valid) {
            throw invalid();
        }
        String text = new String(payload, StandardCharsets.US_ASCII);
        String[] sections = text.split(";", -1);
        if (sections.length < 2 || sections.length > 5 || !sections[0].startsWith("w=") || !sections[1].startsWith("s=")) {
            throw invalid();
        }
        // Optional sections follow in this order, each at most once. A token without t= (an earlier version) names no
        // touched partitions: every partition waits for its writes.
        java.util.Set<Integer> touched = null;
        Map<Integer, Long> observed = Map.of();
        Map<Integer, Long> observedWindows = Map.of();
        String order = "tov";
        int next = 0;
        for (int i = 2; i < sections.length; i++) {
            String section = sections[i];
            int at = section.length() > 1 && section.charAt(1) == '=' ? order.indexOf(section.charAt(0), next) : -1;
            if (at < 0) {
                throw invalid();
            }
            next = at + 1;
            String value = section.substring(2);
            switch (section.charAt(0)) {
                case 't' -> touched = parseList(value);
                case 'o' -> observed = parsePairs(value);
                default -> observedWindows = parsePairs(value);
            }
        }
        return new ConsistencyToken(parsePairs(sections[0].substring(2)), touched, parsePairs(sections[1].substring(2)),
                observed, observedWindows);
    }

    private static ApiError invalid() {
        return ApiError.badRequest("X-IQ-Token is not a token this service issued");
    }

    private static String pairs(Map<Integer, Long> map) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(map).forEach((k, v) -> sb.append(sb.length() > 0 ? "," : "").append(k).append(':').append(v));
        return sb.toString();
    }

    private static String list(java.util.Set<Integer> partitions) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeSet<>(partitions).forEach(p -> sb.append(sb.length() > 0 ? "," : "").append(p));
        return sb.toString();
    }

    private static java.util.Set<Integer> parseList(String text) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        if (!text.isEmpty()) {
            for (String p : text.split(",")) {
                try {
                    out.add(Integer.parseInt(p));
                } catch (NumberFormatException e) {
                    throw invalid();
                }
            }
        }
        return out;
    }

    private static Map<Integer, Long> parsePairs(String text) {
        Map<Integer, Long> out = new TreeMap<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String pair : text.split(",")) {
            int colon = pair.indexOf(':');
            try {
                out.put(Integer.parseInt(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw invalid();
            }
        }
        return out;
    }

    private static byte[] truncated(byte[] signature) {
        return Arrays.copyOf(signature, MAC_BYTES);
    }
}
