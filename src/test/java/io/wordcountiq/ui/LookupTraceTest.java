package io.wordcountiq.ui;

import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.forward.ForwardWalk.Tried;
import io.wordcountiq.wire.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the page's lookup describes the path an answer took. */
class LookupTraceTest {

    private static final Map<String, Object> HOLDERS = Map.of("host", "wc-2", "port", 8080, "partition", 4,
            "standbys", List.of(Map.of("host", "wc-1", "port", 8080, "offsetLag", 0)));

    @Test
    void shouldDescribeAForwardedAnswerWithEachHopAndItsTime() {
        Map<String, Object> d = LookupTrace.describe("alice", "wc-0:8080", 200, "{\"key\":\"alice\",\"value\":12}",
                "wc-1:8080", "standby", "0", List.of(
                        new Tried("wc-2:8080", Result.REFUSED, null, null, 0.512),
                        new Tried("wc-1:8080", Result.REPLIED, 200, null, 1.237)),
                1, HOLDERS, 3.456);

        assertThat(d).containsEntry("status", 200).containsEntry("value", 12L)
                .containsEntry("enteredAt", "wc-0:8080").containsEntry("answeredBy", "wc-1:8080")
                .containsEntry("forwarded", true).containsEntry("copy", "standby").containsEntry("stale", true)
                .containsEntry("lag", 0L).containsEntry("holders", HOLDERS).containsEntry("totalMs", 3.46)
                .doesNotContainKey("error");
        assertThat(Json.write(d.get("hops"))).isEqualTo("[{\"host\":\"wc-2:8080\",\"result\":\"refused\",\"ms\":0.51},"
                + "{\"host\":\"wc-1:8080\",\"result\":\"replied\",\"status\":200,\"ms\":1.24}]");
    }

    @Test
    void shouldDescribeAnAnswerReadHereWithNoHop() {
        Map<String, Object> d = LookupTrace.describe("bob", "wc-0:8080", 200, "{\"key\":\"bob\",\"value\":1}",
                "wc-0:8080", "active", null, List.of(), 0, HOLDERS, 0.3);

        assertThat(d).containsEntry("forwarded", false).containsEntry("stale", false).containsEntry("hops", List.of())
                .doesNotContainKey("lag");
    }

    @Test
    void shouldCarryTheLookupsErrorAsAnErrorBodyDoes() {
        Map<String, Object> notFound = LookupTrace.describe("nosuch", "wc-0:8080", 404,
                "{\"status\":404,\"error\":\"word 'nosuch' not found\"}", "wc-2:8080", "active", null, List.of(), 1, null, 1);
        Map<String, Object> proxy = LookupTrace.describe("x", "wc-0:8080", 503, "<html>bad gateway</html>", null, null,
                null, List.of(), 1, null, 1);

        assertThat(notFound).containsEntry("status", 404).containsEntry("error", "word 'nosuch' not found")
                .doesNotContainKeys("value", "holders");
        assertThat(List.copyOf(notFound.keySet()).subList(0, 2)).as("the shape of every error body first")
                .containsExactly("status", "error");
        assertThat(proxy).containsEntry("error", "the lookup answered HTTP 503").doesNotContainKeys("answeredBy", "copy");
    }
}
