package io.wordcountiq.cluster;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Metadata answers are reused within one generation and age, and never across a state change. */
class MetadataCacheTest {

    private final AtomicLong generation = new AtomicLong(1);
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger computed = new AtomicInteger();
    private final MetadataCache<String> cache = new MetadataCache<>(generation::get, clock::get, 1_000, 3);

    private String owner() {
        return "owner-" + generation.get() + "-" + computed.incrementAndGet();
    }

    @Test
    void shouldReuseAnAnswerWithinOneGeneration() {
        String first = cache.get("k", this::owner);

        assertThat(cache.get("k", this::owner)).isEqualTo(first);
        assertThat(computed).hasValue(1);
    }

    @Test
    void shouldComputeAgainAfterAStateChange() {
        String before = cache.get("k", this::owner);
        generation.incrementAndGet();

        assertThat(cache.get("k", this::owner)).isNotEqualTo(before).startsWith("owner-2");
    }

    @Test
    void shouldNotCacheWhileNotRunning() {
        generation.set(-1);
        cache.get("k", this::owner);
        cache.get("k", this::owner);

        assertThat(computed).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void shouldNotKeepAnAnswerComputedAcrossAStateChange() {
        cache.get("k", () -> {
            generation.incrementAndGet();
            return owner();
        });

        assertThat(cache.size()).as("it may describe the metadata before the change").isZero();
    }

    @Test
    void shouldComputeAgainOnceAnAnswerIsOlderThanItsMaximumAge() {
        cache.get("k", this::owner);
        clock.addAndGet(999);
        cache.get("k", this::owner);
        clock.addAndGet(1);
        cache.get("k", this::owner);

        assertThat(computed).hasValue(2);
    }

    @Test
    void shouldStayBounded() {
        for (int i = 0; i < 10; i++) {
            cache.get("k" + i, this::owner);
        }

        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
}
