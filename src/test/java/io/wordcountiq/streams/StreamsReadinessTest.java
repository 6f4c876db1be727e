package io.wordcountiq.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsReadinessTest {

    @Test
    void shouldBeReadyWhileRunningOnceRunningWasReached() {
        assertThat(StreamsReadiness.ready(State.RUNNING, true, false, false)).isTrue();
        assertThat(StreamsReadiness.ready(State.RUNNING, true, false, true)).isTrue();
    }

    @Test
    void shouldKeepAWordCountInstanceReadyThroughARebalanceButNotAnObserver() {
        assertThat(StreamsReadiness.ready(State.REBALANCING, true, false, false)).isTrue();
        assertThat(StreamsReadiness.ready(State.REBALANCING, true, false, true)).isFalse();
    }

    @Test
    void shouldNotBeReadyBeforeTheFirstAssignmentWhileStoppingOrInError() {
        assertThat(StreamsReadiness.ready(null, false, false, false)).isFalse();
        assertThat(StreamsReadiness.ready(State.REBALANCING, false, false, false)).isFalse();
        assertThat(StreamsReadiness.ready(State.RUNNING, true, true, false)).isFalse();
        assertThat(StreamsReadiness.ready(State.ERROR, true, false, false)).isFalse();
    }

    @Test
    void shouldNameTheStateBeforeThereIsAClient() {
        assertThat(StreamsReadiness.name(null, false)).isEqualTo("NOT_STARTED");
        assertThat(StreamsReadiness.name(null, true)).isEqualTo("ERROR");
        assertThat(StreamsReadiness.name(State.PENDING_SHUTDOWN, false)).isEqualTo("PENDING_SHUTDOWN");
    }
}
