package io.wordcountiq.model;

/** One entry of a count store as the API shows it: {"key":"hello","value":2}. Ordered by {@link KeyOrder}. */
public record KeyValueBean(String key, long value) implements Comparable<KeyValueBean> {

    @Override
    public int compareTo(KeyValueBean other) {
        return KeyOrder.compare(key, other.key);
    }
}
