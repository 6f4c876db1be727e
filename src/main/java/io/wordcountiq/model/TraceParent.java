package io.wordcountiq.model;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} (version 00): the trace a request belongs to and the span that sent it.
 * An incoming one is continued; a request without one (or with one that does not parse) starts a new trace, so
 * every request's log lines and hops share one trace id.
 *
 * @param traceId  32 lowercase hex digits, not all zero
 * @param parentId 16 lowercase hex digits, not all zero: the span of the sender
 * @param flags    2 hex digits (01 = sampled)
 */
public record TraceParent(String traceId, String parentId, String flags) {

    private static final HexFormat HEX = HexFormat.of();

    /** The traceparent header's value, or null when it is missing or not a valid version-00 traceparent. */
    public static TraceParent parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        // version "00" is exactly 55 characters; a future version may append fields after the flags.
        if (h.length() < 55 || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
                || (h.length() > 55 && (h.startsWith("00") || h.charAt(55) != '-'))) {
            return null;
        }
        String version = h.substring(0, 2);
        String traceId = h.substring(3, 35);
        String parentId = h.substring(36, 52);
        String flags = h.substring(53, 55);
        if (!lowerHex(version) || version.equals("ff") || !lowerHex(traceId) || !lowerHex(parentId) || !lowerHex(flags)
                || zeros(traceId) || zeros(parentId)) {
            return null;
        }
        return new TraceParent(traceId, parentId, flags);
    }

    /** A new trace, not sampled. */
    public static TraceParent newTrace() {
        return new TraceParent(randomHex(16), randomHex(8), "00");
    }

    /** The traceparent of a call this span makes: the same trace and flags, a new span id. */
    public TraceParent child() {
        return new TraceParent(traceId, randomHex(8), flags);
    }

    /** The header value. */
    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(b);
        } while (zeros(HEX.formatHex(b)));
        return HEX.formatHex(b);
    }

    private static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s) {
        return s.chars().allMatch(c -> c == '0');
    }
}
