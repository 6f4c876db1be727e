package io.wordcountiq.ui;

import io.wordcountiq.cluster.SelfReport;
import io.wordcountiq.ui.ClusterPage.ClusterGroup;
import io.wordcountiq.ui.ClusterSurvey.Hosting;
import io.wordcountiq.ui.ClusterPage.InstanceView;
import io.wordcountiq.ui.ClusterSurvey.Remembered;
import io.wordcountiq.ui.ClusterPage.Standby;
import io.wordcountiq.ui.ClusterPage.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster view of the page: who is listed, how each is doing, grouped by cluster. */
class ClusterSurveyTest {

    private static final SelfReport SELF = new SelfReport("wc-0:8080", "green", "wordcount", true, "RUNNING",
            Map.of("word-count", Map.of(1, 0L)));
    private static final List<Hosting> HOSTS_0 = List.of(new Hosting("word-count", List.of(0), List.of(1)));
    private static final List<Hosting> HOSTS_1 = List.of(new Hosting("word-count", List.of(1), List.of(2)));
    private static final List<Hosting> HOSTS_2 = List.of(new Hosting("word-count", List.of(2), List.of(0)));
    private static final Map<String, List<Hosting>> MEMBERS = Map.of("wc-0:8080", HOSTS_0, "wc-1:8080", HOSTS_1,
            "wc-2:8080", HOSTS_2);

    @Test
    void shouldGroupEveryMemberUnderTheClusterItNamesWithWhatItHostsAndItsLags() {
        ClusterSurvey survey = new ClusterSurvey(SELF, MEMBERS, List.of(), Map.of(), null);
        assertThat(survey.targets()).as("this instance describes itself").containsExactly("wc-1:8080", "wc-2:8080");
        survey.described("wc-1:8080", report("wc-1:8080", "green", true, Map.of("word-count", Map.of(2, 7L))), 1.26);
        survey.described("wc-2:8080", report("wc-2:8080", "red", true, Map.of()), 2);

        ClusterPage.View view = survey.assemble();

        assertThat(view.answeredBy()).isEqualTo("wc-0:8080");
        assertThat(view.clusters()).extracting(ClusterGroup::cluster).containsExactly("green", "red");
        assertThat(view.clusters().get(0).instances()).extracting(InstanceView::address).containsExactly("wc-0:8080", "wc-1:8080");
        InstanceView self = view.clusters().get(0).instances().get(0);
        assertThat(self.self()).isTrue();
        assertThat(self.status()).isEqualTo(Status.READY);
        assertThat(self.stores().get(0).standby()).containsExactly(new Standby(1, 0L));
        InstanceView wc1 = view.clusters().get(0).instances().get(1);
        assertThat(wc1.stores().get(0).active()).containsExactly(1);
        assertThat(wc1.stores().get(0).standby()).as("its own measure of its standby").containsExactly(new Standby(2, 7L));
        assertThat(wc1.ms()).isEqualTo(1.3);
        assertThat(view.clusters().get(1).instances().get(0).stores().get(0).standby())
                .as("a lag it did not report is unknown").containsExactly(new Standby(0, null));
    }

    @Test
    void shouldShowAnInstanceThatCannotBeAskedAsUnreachableUnderTheClusterItNamedBefore() {
        ClusterSurvey survey = new ClusterSurvey(SELF, MEMBERS, List.of(),
                Map.of("wc-2:8080", new Remembered("red", "wordcount", 0)), null);
        survey.unreachable("wc-2:8080", "connection refused or host unknown", 0.4);
        survey.notReady("wc-1:8080", "Kafka Streams is PENDING_SHUTDOWN", 3);

        ClusterPage.View view = survey.assemble();

        InstanceView wc2 = only(view, "red");
        assertThat(wc2.status()).isEqualTo(Status.UNREACHABLE);
        assertThat(wc2.reason()).isEqualTo("connection refused or host unknown");
        assertThat(wc2.stores().get(0).active()).as("what metadata still says it hosts").containsExactly(2);
        InstanceView wc1 = only(view, null);
        assertThat(wc1.status()).as("it answered, but cannot describe itself").isEqualTo(Status.NOT_READY);
        assertThat(wc1.reason()).isEqualTo("Kafka Streams is PENDING_SHUTDOWN");
    }

    @Test
    void shouldShowAHostThatDidNotAnswerInTimeAsUnreachableAndIgnoreItsLateAnswer() {
        ClusterSurvey survey = new ClusterSurvey(SELF, Map.of("wc-0:8080", HOSTS_0, "wc-1:8080", HOSTS_1), List.of(),
                Map.of(), null);

        ClusterPage.View view = survey.assemble();
        survey.described("wc-1:8080", report("wc-1:8080", "green", true, Map.of()), 2500);

        InstanceView wc1 = only(view, null);
        assertThat(wc1.status()).isEqualTo(Status.UNREACHABLE);
        assertThat(wc1.reason()).isEqualTo("no answer in time");
        assertThat(survey.probe("wc-1:8080")).isNull();
    }

    @Test
    void shouldListConfiguredObserversOnceAndAfterTheMembersOfTheirCluster() {
        ClusterSurvey survey = new ClusterSurvey(SELF, Map.of("wc-0:8080", HOSTS_0),
                List.of("wordcount-iq-observer:8080", "wc-0:8080"), Map.of(), null);
        assertThat(survey.targets()).containsExactly("wordcount-iq-observer:8080");
        survey.described("wordcount-iq-observer:8080",
                new SelfReport("10.0.0.7:8080", "green", "observer", true, "RUNNING", Map.of()), 1);

        List<InstanceView> green = survey.assemble().clusters().get(0).instances();

        assertThat(green).extracting(InstanceView::address).containsExactly("wc-0:8080", "wordcount-iq-observer:8080");
        InstanceView observer = green.get(1);
        assertThat(observer.configured()).isTrue();
        assertThat(observer.member()).isFalse();
        assertThat(observer.advertised()).as("a Service in front of observers: who answered").isEqualTo("10.0.0.7:8080");
        assertThat(observer.stores()).singleElement().satisfies(s -> assertThat(s.global()).isTrue());
    }

    @Test
    void shouldKeepListingAnInstanceThatLeftTheGroupForAWhile() {
        ClusterSurvey first = new ClusterSurvey(SELF, MEMBERS, List.of(), Map.of(), null);
        first.described("wc-2:8080", report("wc-2:8080", "red", true, Map.of()), 1);
        first.assemble();
        Map<String, Remembered> memory = first.remember(1_000);
        assertThat(memory.get("wc-2:8080")).isEqualTo(new Remembered("red", "wordcount", 1_000));

        ClusterSurvey later = new ClusterSurvey(SELF, Map.of("wc-0:8080", HOSTS_0, "wc-1:8080", HOSTS_1), List.of(),
                memory, null);
        assertThat(later.targets()).as("still asked: it may come back").contains("wc-2:8080");
        later.unreachable("wc-2:8080", "timed out", 500);
        InstanceView gone = only(later.assemble(), "red");

        assertThat(gone.member()).isFalse();
        assertThat(gone.status()).isEqualTo(Status.UNREACHABLE);
        assertThat(gone.stores()).as("metadata no longer says it hosts anything").isEmpty();
        assertThat(later.remember(9_000).get("wc-2:8080").lastListedMs()).as("the time it was last in the group")
                .isEqualTo(1_000);
    }

    @Test
    void shouldTakeStorePartitionsFromTheStoresTopicsNotFromTheInputTopic() {
        StreamsMetadataImpl md = new StreamsMetadataImpl(new HostInfo("wc-1", 8080),
                Set.of("word-count", "windowed-word-count"),
                Set.of(new TopicPartition("lines", 1), new TopicPartition("app-words-repartition", 3),
                        new TopicPartition("app-words-repartition", 0)),
                Set.of("word-count", "windowed-word-count"), Set.of(new TopicPartition("app-words-repartition", 5)));

        assertThat(ClusterSurvey.hostingOf(md, "lines")).containsExactly(
                new Hosting("windowed-word-count", List.of(0, 3), List.of(5)),
                new Hosting("word-count", List.of(0, 3), List.of(5)));
    }

    private static SelfReport report(String address, String cluster, boolean ready, Map<String, Map<Integer, Long>> lags) {
        return new SelfReport(address, cluster, "wordcount", ready, ready ? "RUNNING" : "REBALANCING", lags);
    }

    private static InstanceView only(ClusterPage.View view, String cluster) {
        return view.clusters().stream().filter(g -> java.util.Objects.equals(g.cluster(), cluster)).findFirst()
                .orElseThrow(() -> new AssertionError("no cluster " + cluster + " in " + view)).instances().stream()
                .filter(i -> !i.self()).findFirst().orElseThrow();
    }
}
