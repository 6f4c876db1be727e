package io.wordcountiq.ingest;

import io.wordcountiq.settings.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's slots; no producer is created until a write needs one, so no broker is needed here. */
class ProducerPoolTest {

    @Test
    void shouldLendEachSlotToOneWriteAtATime() {
        ProducerPool pool = new ProducerPool(Settings.withDefaults(Map.of("application.server", "wc-0:8080")), 2, 1_000);

        ProducerPool.Slot first = pool.take();
        ProducerPool.Slot second = pool.take();
        assertThat(first).isNotNull().isNotSameAs(second);
        assertThat(second).isNotNull();
        assertThat(pool.take()).as("every slot is in use").isNull();

        pool.giveBack(first);
        assertThat(pool.take()).isSameAs(first);
        first.discard();
        pool.close();
    }
}
