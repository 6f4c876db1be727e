package io.wordcountiq.cluster;

import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerReportsTest {

    private static final HostInfo PEER = new HostInfo("wc-1", 8080);

    private final long[] now = {1_000};
    private final PeerReports reports = new PeerReports(() -> now[0]);

    @Test
    void shouldGiveEachPeersLagOfAPartitionUntilTheReportIsTooOld() {
        reports.reportLags(PEER, Map.of(0, 5L, 1, 0L));

        assertThat(reports.lagsOf(0)).containsExactly(Map.entry(PEER, 5L));
        assertThat(reports.lagsOf(2)).as("a partition it did not report").isEmpty();
        now[0] += PeerReports.LAGS_MAX_AGE_MS - 1;
        assertThat(reports.lagsOf(1)).containsExactly(Map.entry(PEER, 0L));
        now[0] += 1;
        assertThat(reports.lagsOf(1)).as("no new report for too long").isEmpty();
    }

    @Test
    void shouldChangeTheLagsVersionWithEveryReportAndForgetting() {
        long before = reports.lagsVersion();
        reports.reportLags(PEER, Map.of(0, 5L));
        long reported = reports.lagsVersion();
        reports.forgetLags(PEER);

        assertThat(reported).isNotEqualTo(before);
        assertThat(reports.lagsVersion()).isNotEqualTo(reported);
        assertThat(reports.lagsOf(0)).isEmpty();
    }

    @Test
    void shouldKnowTheClusterAPeerSaidItIsInAndNothingOfOthers() {
        reports.reportCluster(PEER, "green");
        reports.reportCluster(new HostInfo("wc-2", 8080), null);

        assertThat(reports.clusterOf("wc-1:8080")).isEqualTo("green");
        assertThat(reports.clusterOf("wc-2:8080")).isEmpty();
        assertThat(reports.clusterOf("wc-9:8080")).isEmpty();
    }
}
