package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import io.wordcountiq.model.KeyValueBean;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntriesJsonTest {

    @Test
    void shouldWriteAndReadBackEntriesIncludingCharactersThatNeedEscaping() {
        List<KeyValueBean> entries = List.of(new KeyValueBean("a\"b", 1), new KeyValueBean("grüße", 2), new KeyValueBean("x", Long.MAX_VALUE));

        String json = EntriesJson.write(entries);

        assertThat(json).isEqualTo("[{\"key\":\"a\\\"b\",\"value\":1},{\"key\":\"grüße\",\"value\":2},{\"key\":\"x\",\"value\":9223372036854775807}]");
        assertThat(EntriesJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(entries);
    }

    @Test
    void shouldMergeSortedPartsIntoOneSortedListKeepingTheHigherCountOfADuplicate() {
        List<KeyValueBean> merged = EntriesJson.merge(List.of(
                List.of(new KeyValueBean("b", 2), new KeyValueBean("d", 4)),
                List.of(new KeyValueBean("a", 1), new KeyValueBean("c", 3), new KeyValueBean("d", 5)),
                List.of()));

        assertThat(merged).containsExactly(new KeyValueBean("a", 1), new KeyValueBean("b", 2), new KeyValueBean("c", 3), new KeyValueBean("d", 5));
    }

    @Test
    void shouldRefuseAReplyThatIsNotAnArrayOfEntries() {
        assertThatThrownBy(() -> EntriesJson.read("{\"status\":500}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EntriesJson.read("[{\"value\":1}]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalStateException.class);
    }
}
