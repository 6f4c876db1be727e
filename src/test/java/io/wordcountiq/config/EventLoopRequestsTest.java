package io.wordcountiq.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLoopRequestsTest {

    private final EventLoopRequests enabled = new EventLoopRequests(true);

    @Test
    void shouldRunKeyLookupRoutesOnTheEventLoop() {
        assertThat(enabled.routeNeverBlocks("/state/keyvalue/{store}/{key}")).isTrue();
        assertThat(enabled.routeNeverBlocks("/state/windowed/{store}/{key}/{from}/{to}")).isTrue();
    }

    @Test
    void shouldKeepWholeStoreIngestAndUiRoutesOnWorkerThreads() {
        assertThat(enabled.routeNeverBlocks("/state/keyvalues/{store}/all")).isFalse();
        assertThat(enabled.routeNeverBlocks("/state/keyvalues/{store}/range/{from}/{to}")).isFalse();
        assertThat(enabled.routeNeverBlocks("/lines")).isFalse();
        assertThat(enabled.routeNeverBlocks("/ui")).isFalse();
    }

    @Test
    void shouldRunEveryRouteOnWorkerThreadsWhenTurnedOff() {
        assertThat(new EventLoopRequests(false).routeNeverBlocks("/state/keyvalue/{store}/{key}")).isFalse();
    }

    @Test
    void shouldSendRequestsWithAConsistencyTokenToAWorkerThread() {
        assertThat(EventLoopRequests.neverBlocks("GET", null, null)).isTrue();
        assertThat(EventLoopRequests.neverBlocks("GET", "t1.abc.def", null)).as("X-IQ-Token header").isFalse();
        assertThat(EventLoopRequests.neverBlocks("GET", null, "t1.abc.def")).as("?token=").isFalse();
        assertThat(EventLoopRequests.neverBlocks("GET", null, "")).as("an empty ?token= is still a token").isFalse();
    }

    @Test
    void shouldSendOtherMethodsToAWorkerThread() {
        assertThat(EventLoopRequests.neverBlocks("HEAD", null, null)).isFalse();
        assertThat(EventLoopRequests.neverBlocks("POST", null, null)).isFalse();
    }
}
