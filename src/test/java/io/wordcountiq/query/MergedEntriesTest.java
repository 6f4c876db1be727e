package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MergedEntriesTest {

    @Test
    void shouldMergeSortedSourcesInKeyOrderKeepingTheHigherCountOfADuplicate() {
        MergedEntries merged = new MergedEntries(List.of(
                EntrySource.of(List.of(new KeyValueBean("b", 2), new KeyValueBean("d", 4))),
                EntrySource.of(List.of(new KeyValueBean("a", 1), new KeyValueBean("c", 3), new KeyValueBean("d", 5))),
                EntrySource.of(List.of())));

        List<KeyValueBean> out = new ArrayList<>();
        merged.forEachRemaining(out::add);

        assertThat(out).containsExactly(new KeyValueBean("a", 1), new KeyValueBean("b", 2), new KeyValueBean("c", 3),
                new KeyValueBean("d", 5));
    }

    @Test
    void shouldCloseEverySourceAndTakeOnlyWhatAPageNeeds() {
        AtomicInteger closed = new AtomicInteger();
        List<EntrySource> sources = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<KeyValueBean> entries = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                entries.add(new KeyValueBean(String.format("k%04d-%d", i, s), i));
            }
            EntrySource inner = EntrySource.of(entries);
            sources.add(new EntrySource() {
                public KeyValueBean peek() {
                    return inner.peek();
                }

                public KeyValueBean next() {
                    return inner.next();
                }

                public void close() {
                    closed.incrementAndGet();
                }
            });
        }

        List<KeyValueBean> page = EntriesJson.take(new MergedEntries(sources), 5);

        assertThat(page).extracting(KeyValueBean::key).containsExactly("k0000-0", "k0000-1", "k0000-2", "k0001-0", "k0001-1");
        assertThat(closed.get()).isEqualTo(3);
    }
}
