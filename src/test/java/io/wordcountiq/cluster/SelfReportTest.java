package io.wordcountiq.cluster;

import io.wordcountiq.wire.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An instance's own entry of GET /state/instances: written by one instance, read back by another. */
class SelfReportTest {

    @Test
    void shouldReadBackWhatAnInstanceWritesOfItself() throws Exception {
        SelfReport written = new SelfReport("wc-1:8080", "red", "wordcount", false, "REBALANCING",
                Map.of("word-count", Map.of(2, 0L, 5, 12L)));
        Map<String, Object> entry = new java.util.LinkedHashMap<>(Map.of("host", "wc-1", "port", 8080));
        entry.putAll(written.fields());
        String answer = Json.write(java.util.List.of(Map.of("host", "wc-0", "port", 8080), entry));

        assertThat(SelfReport.parse(Json.MAPPER.readTree(answer))).isEqualTo(written);
    }

    @Test
    void shouldTakeAnEarlierVersionsAnswerAsReadyAndNoEntryOfItsOwnAsNothing() throws Exception {
        SelfReport older = SelfReport.parse(Json.MAPPER.readTree(
                "[{\"host\":\"wc-2\",\"port\":8080,\"self\":true,\"cluster\":\"green\",\"offsetLag\":{\"word-count\":{\"1\":3}}}]"));

        assertThat(older).isEqualTo(new SelfReport("wc-2:8080", "green", "wordcount", true, null,
                Map.of("word-count", Map.of(1, 3L))));
        assertThat(SelfReport.parse(Json.MAPPER.readTree("[{\"host\":\"wc-2\",\"port\":8080}]"))).isNull();
        assertThat(SelfReport.parse(Json.MAPPER.readTree("{\"status\":503}"))).isNull();
    }

    @Test
    void shouldLeaveOutAnUnnamedClusterAndAnObserversLags() {
        assertThat(new SelfReport("obs-0:8080", "", "observer", true, "RUNNING", Map.of()).fields())
                .containsOnlyKeys("self", "mode", "ready", "state");
    }
}
