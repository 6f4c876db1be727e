package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.KeyOrder;
import io.wordcountiq.streams.Names;

/** Checks path parameters before any store is touched. Every failure is a 4xx {@link ApiError}. */
public final class RequestValidator {

    private final int maxKeyLength;

    public RequestValidator(int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
    }

    public void keyValueStore(String store) {
        requireKnown(store);
        if (!Names.KEY_VALUE_STORES.contains(store)) {
            throw ApiError.badRequest("store '" + store + "' is a window store; use /state/windowed/" + store + "/{key}/{from}/{to}");
        }
    }

    public void windowStore(String store) {
        requireKnown(store);
        if (!Names.WINDOW_STORES.contains(store)) {
            throw ApiError.badRequest("store '" + store + "' is a key-value store; use /state/keyvalue/" + store + "/{key}");
        }
    }

    public void requireKnown(String store) {
        if (store == null || store.isEmpty()
                || !(Names.KEY_VALUE_STORES.contains(store) || Names.WINDOW_STORES.contains(store))) {
            throw ApiError.notFound("unknown store '" + printable(store) + "'");
        }
    }

    public String key(String key, String name) {
        if (key == null || key.isEmpty()) {
            throw ApiError.badRequest(name + " must not be empty");
        }
        if (key.equals(".") || key.equals("..")) {
            // No word is one (words are letters and digits), and no path can name it: servers resolve dot segments.
            throw ApiError.badRequest(name + " must not be '.' or '..'");
        }
        if (key.length() > maxKeyLength) {
            throw new ApiError(414, name + " is longer than " + maxKeyLength + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD') {
                throw ApiError.badRequest(name + " contains control or invalid characters");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(++i)))) {
                throw ApiError.badRequest(name + " is not valid UTF-8");
            }
        }
        return key;
    }

    public long epochMillis(String value, String name) {
        if (value == null || value.isEmpty() || value.length() > 19) {
            throw ApiError.badRequest(name + " must be epoch milliseconds, was '" + printable(value) + "'");
        }
        long ms;
        try {
            ms = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be epoch milliseconds, was '" + printable(value) + "'");
        }
        if (ms < 0) {
            throw ApiError.badRequest(name + " must not be negative");
        }
        return ms;
    }

    public void range(String fromName, long from, String toName, long to) {
        if (from > to) {
            throw ApiError.badRequest(fromName + " must not be after " + toName);
        }
    }

    /** Key bounds compare in the stores' order (KeyOrder: UTF-8 bytes, i.e. code points). */
    public void range(String fromName, String from, String toName, String to) {
        if (KeyOrder.compare(from, to) > 0) {
            throw ApiError.badRequest(fromName + " must not be after " + toName);
        }
    }

    /** A page size: 1 to the largest page a client may ask for. */
    public int limit(String value, int max) {
        if (value == null || value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
            throw ApiError.badRequest("limit must be a whole number from 1 to " + max + ", was '" + printable(value) + "'");
        }
        int limit = Integer.parseInt(value);
        if (limit < 1 || limit > max) {
            throw ApiError.badRequest("limit must be a whole number from 1 to " + max + ", was " + limit);
        }
        return limit;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
