package io.wordcountiq.cluster;

import io.wordcountiq.model.PeerReply;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerHealthTest {

    private final long[] now = {1_000};
    private final PeerHealth health = new PeerHealth(address -> address.startsWith("red") ? "red" : "", () -> now[0]);

    @Test
    void shouldSkipAPeerThatCannotBeReachedUntilItAnswersAgain() {
        HostInfo red = new HostInfo("red-0", 8080);
        HostInfo green = new HostInfo("green-0", 8080);
        health.observe(new PeerReply.Failed("red-0:8080", PeerReply.Failure.TIMEOUT, "timed out", 500));

        assertThat(health.reachableOf(List.of(red, green))).containsExactly(green);
        assertThat(health.unreachable()).containsOnlyKeys("red-0:8080");
        assertThat(health.unreachable().get("red-0:8080")).containsEntry("cluster", "red").containsEntry("sinceMs", 1_000L);

        now[0] = 4_000;
        health.observe(new PeerReply.Answered("red-0:8080", 200, Map.of("X-IQ-Served-By", "red-0:8080"), new byte[0], null, 1));
        assertThat(health.reachableOf(List.of(red, green))).containsExactly(red, green);
        assertThat(health.unreachable()).isEmpty();
    }

    @Test
    void shouldCountAProxysGatewayErrorButNotAnInstancesOwnErrorOrABrokenAnswer() {
        health.observe(new PeerReply.Answered("a:1", 502, Map.of(), new byte[0], null, 1));
        health.observe(new PeerReply.Answered("b:1", 503, Map.of("X-IQ-Served-By", "b:1"), new byte[0], null, 1));
        health.observe(new PeerReply.Failed("c:1", PeerReply.Failure.FAILED, "malformed", 1));

        assertThat(health.reachable("a:1")).isFalse();
        assertThat(health.reachable("b:1")).as("it answered: it is there").isTrue();
        assertThat(health.reachable("c:1")).isTrue();
    }
}
