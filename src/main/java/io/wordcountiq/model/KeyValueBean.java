package io.wordcountiq.model;

/** One entry of a count store as the API shows it: {"key":"hello","value":2}. */
public record KeyValueBean(String key, long value) implements Comparable<KeyValueBean> {

    @Override
    public int compareTo(KeyValueBean other) {
        return key.compareTo(other.key);
    }
}
