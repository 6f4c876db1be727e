package io.wordcountiq.streams;

import java.util.Set;

/** Every store name the HTTP API knows, in one place. Topic names are settings, with their defaults in application.properties only. */
public final class Names {

    public static final String WORD_COUNT_STORE = "word-count";
    public static final String WINDOWED_WORD_COUNT_STORE = "windowed-word-count";
    /**
     * The first attempt of each Idempotency-Key (its body's hash), per input partition: internal, asked only by
     * instances (a marked request), never by clients.
     */
    public static final String IDEMPOTENCY_STORE = "idempotency-keys";

    /** The name of the grouping by word, so its repartition topic is {@code <applicationId>-words-repartition}. */
    public static final String WORDS_GROUPING = "words";

    public static final Set<String> KEY_VALUE_STORES = Set.of(WORD_COUNT_STORE);
    public static final Set<String> WINDOW_STORES = Set.of(WINDOWED_WORD_COUNT_STORE);

    /** The internal topic the words are repartitioned through; count stores' IQv2 positions are in its offsets. */
    public static String repartitionTopic(String applicationId) {
        return applicationId + "-" + WORDS_GROUPING + "-repartition";
    }

    /** A store's changelog topic. */
    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    private Names() {
    }
}
