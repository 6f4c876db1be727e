package io.wordcountiq.wholestore;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.wire.EntriesJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MergedEntriesTest {

    @Test
    void shouldMergeSortedSourcesInKeyOrderKeepingTheHigherCountOfADuplicate() throws Exception {
        MergedEntries merged = new MergedEntries(List.of(
                new ListEntries(List.of(new KeyValueBean("b", 2), new KeyValueBean("d", 4))),
                new ListEntries(List.of(new KeyValueBean("a", 1), new KeyValueBean("c", 3), new KeyValueBean("d", 5))),
                new ListEntries(List.of())));

        assertThat(EntriesJson.collect(merged, 100).toCompletableFuture().get()).containsExactly(new KeyValueBean("a", 1),
                new KeyValueBean("b", 2), new KeyValueBean("c", 3), new KeyValueBean("d", 5));
    }

    @Test
    void shouldWaitForEverySourceBeforeItsNextEntryAndGoOnWhenItArrives() {
        List<Runnable> waiting = new ArrayList<>();
        boolean[] arrived = {false};
        EntrySource late = new EntrySource() {
            public KeyValueBean peek() {
                return arrived[0] ? new KeyValueBean("a", 1) : null;
            }

            public KeyValueBean take() {
                arrived[0] = false;
                done = true;
                return new KeyValueBean("a", 1);
            }

            private boolean done;

            public boolean done() {
                return done && !arrived[0];
            }

            public Throwable failure() {
                return null;
            }

            public void demand(Runnable ready) {
                waiting.add(ready);
            }

            public void close() {
            }
        };
        MergedEntries merged = new MergedEntries(List.of(new ListEntries(List.of(new KeyValueBean("b", 2))), late));

        assertThat(merged.peek()).as("'b' may not be first: the late source may have a smaller key").isNull();
        boolean[] ready = {false};
        merged.demand(() -> ready[0] = true);
        assertThat(ready[0]).isFalse();
        arrived[0] = true;
        waiting.forEach(Runnable::run);

        assertThat(ready[0]).isTrue();
        assertThat(merged.take()).isEqualTo(new KeyValueBean("a", 1));
        assertThat(merged.take()).isEqualTo(new KeyValueBean("b", 2));
        assertThat(merged.done()).isTrue();
    }

    @Test
    void shouldCloseEverySourceAndTakeOnlyWhatAPageNeeds() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        List<EntrySource> sources = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<KeyValueBean> entries = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                entries.add(new KeyValueBean(String.format("k%04d-%d", i, s), i));
            }
            sources.add(new ListEntries(entries) {
                @Override
                public void close() {
                    closed.incrementAndGet();
                    super.close();
                }
            });
        }

        List<KeyValueBean> page = EntriesJson.collect(new MergedEntries(sources), 5).toCompletableFuture().get();

        assertThat(page).extracting(KeyValueBean::key).containsExactly("k0000-0", "k0000-1", "k0000-2", "k0001-0", "k0001-1");
        assertThat(closed.get()).isEqualTo(3);
    }
}
