package io.wordcountiq.streams;

import java.util.Set;

/** Every store name the HTTP API knows, in one place. Topic names are configurable (see Settings). */
public final class Names {

    public static final String WORD_COUNT_STORE = "word-count";
    public static final String WINDOWED_WORD_COUNT_STORE = "windowed-word-count";

    public static final String DEFAULT_INPUT_TOPIC = "text-lines-topic";
    public static final String DEFAULT_OUTPUT_TOPIC = "word-count-output";

    public static final Set<String> KEY_VALUE_STORES = Set.of(WORD_COUNT_STORE);
    public static final Set<String> WINDOW_STORES = Set.of(WINDOWED_WORD_COUNT_STORE);

    private Names() {
    }
}
