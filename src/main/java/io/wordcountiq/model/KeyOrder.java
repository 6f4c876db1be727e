package io.wordcountiq.model;

import java.util.Comparator;

/**
 * The one order of keys: the stores' own, the order of their UTF-8 bytes (RocksDB compares serialized keys
 * bytewise). For strings that is Unicode code point order, which differs from {@link String#compareTo} (UTF-16 code
 * units) for characters outside the basic multilingual plane. Whole-store answers, ranges and page cursors all use it.
 */
public final class KeyOrder {

    public static final Comparator<String> KEYS = KeyOrder::compare;

    private KeyOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
