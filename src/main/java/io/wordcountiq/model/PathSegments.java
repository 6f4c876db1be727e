package io.wordcountiq.model;

import java.nio.charset.StandardCharsets;

/**
 * The one way a value becomes part of a URL here: a path segment or a query value, every byte of its UTF-8 that is
 * not an RFC 3986 unreserved character written as %XX (upper case). A key with '?', '/', '%', '#', '+', spaces,
 * combining marks or any script travels as itself: the receiving server decodes exactly this back.
 */
public final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    public static String encode(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!unreserved(c)) {
                out = new StringBuilder(value.length() * 3);
                out.append(value, 0, i);
                encodeRest(value.substring(i), out);
                return out.toString();
            }
        }
        return value;
    }

    private static void encodeRest(String value, StringBuilder out) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && unreserved((char) c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
