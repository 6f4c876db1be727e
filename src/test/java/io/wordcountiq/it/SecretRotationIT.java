package io.wordcountiq.it;

import io.wordcountiq.it.FailoverIT.LiveWrites;
import io.wordcountiq.it.FailoverIT.Load;
import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.support.NginxProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A FORWARD_SECRET rotation as docs/security.md describes it, rolled across two running instance JVMs behind nginx
 * while clients read (plain and with tokens) and write: no request fails, no hop is refused (403), and an instance
 * that is stopping or starting, asked directly, answers 503 with Retry-After or a right 200, never a 404.
 */
class SecretRotationIT {

    private static final Pattern REFUSED_HOP = Pattern.compile(" 403 [0-9.]+ ms");

    private final Corpus corpus = Corpus.random(7, 400, 120, 5);

    @Test
    void shouldRotateTheForwardSecretUnderTrafficWithoutAFailureAndNever404WhileStartingOrStopping() throws Exception {
        String oldSecret = "rotation-old-" + UUID.randomUUID();
        String newSecret = "rotation-new-" + UUID.randomUUID();
        try (LocalCluster cluster = LocalCluster.start("secret-rotation-it")) {
            List<InstanceProcess> instances = new ArrayList<>(cluster.startReady(2, LocalCluster.wordCount(
                    "FORWARD_SECRET", oldSecret, "ACCESS_LOG", "true")));
            corpus.postTo(instances.get(0).url("/lines"), 100);
            await().atMost(Duration.ofSeconds(60)).until(() -> corpus.allJson().equals(
                    Http.get(instances.get(1).url("/state/keyvalues/word-count/all?strict=true")).body()));
            List<String> words = List.copyOf(corpus.counts().keySet());
            try (NginxProcess lb = NginxProcess.start(cluster.work().resolve("lb"), instances)) {
                LiveWrites live = LiveWrites.start("liverotate", n -> lb.url("/lines"));
                Load load = Load.start(2, n -> {
                    String word = words.get(n % words.size());
                    return new Load.Ask(lb.url("/state/keyvalue/word-count/" + word), new String[0],
                            corpus.keyJson(word), reply -> reply.body().equals(corpus.keyJson(word)), false);
                });
                String first = words.get(0);
                Load tokenReads = Load.start(1, n -> {
                    Load.Ask liveAsk = live.ask(n, w -> lb.url("/state/keyvalue/word-count/" + w));
                    return liveAsk != null ? liveAsk : new Load.Ask(lb.url("/state/keyvalue/word-count/" + first),
                            new String[0], corpus.keyJson(first), r -> r.body().equals(corpus.keyJson(first)), false);
                });
                // The three roll-outs of docs/security.md, each instance in turn.
                List<Map<String, String>> steps = List.of(
                        secrets(oldSecret, newSecret),
                        secrets(newSecret, oldSecret),
                        secrets(newSecret, ""));
                Map<String, Integer> directStatuses = new TreeMap<>();
                List<String> directWrong = new ArrayList<>();
                for (Map<String, String> step : steps) {
                    for (int i = 0; i < instances.size(); i++) {
                        instances.set(i, roll(cluster, lb, instances, i, step, words.get(0), directStatuses, directWrong));
                    }
                }
                load.stop();
                tokenReads.stop();
                live.stop();
                live.assertNothingLostOrDoubled(instances.get(0));
                long refusedHops = 0;
                for (InstanceProcess instance : instances) {
                    refusedHops += REFUSED_HOP.matcher(instance.log()).results().count();
                }
                System.out.printf("ROTATION requests=%d failed=%d wrong=%d maxLatencyMs=%d | tokenReads=%d failed=%d "
                                + "wrong=%d refused503=%d | writesAcked=%d writesRefused=%d | refusedHops=%d "
                                + "directAnswersWhileRolling=%s%n", load.requests(), load.failed(), load.wrong(),
                        load.maxMs(), tokenReads.requests(), tokenReads.failed(), tokenReads.wrong(), tokenReads.refused(),
                        live.acked(), live.refusedWrites(), refusedHops, directStatuses);
                for (Load l : List.of(load, tokenReads)) {
                    assertThat(l.requests()).isGreaterThan(10);
                    assertThat(l.failures()).as("no request fails during the rotation").isEmpty();
                    assertThat(l.wrong()).as("wrong answers: " + l.wrongAnswers()).isZero();
                }
                assertThat(load.requests()).isGreaterThan(100);
                assertThat(refusedHops).as("no hop refused for its mark (403 in the access logs)").isZero();
                assertThat(directWrong).as("a stopping or starting instance never answers 404").isEmpty();
                assertThat(directStatuses).as("the starting instances were asked while not ready").containsKey("503");
                assertThat(Http.get(instances.get(0).url("/state/keyvalue/word-count/" + words.get(0)),
                        "X-IQ-Token", staleToken(oldSecret)).status())
                        .as("after the rotation a token under the old secret is refused").isEqualTo(400);
            }
        }
    }

    /** The instance lists standby and active partitions, and each of its own store lags is at most 50 records. */
    private static boolean caughtUp(InstanceProcess instance) throws Exception {
        for (com.fasterxml.jackson.databind.JsonNode entry : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Http.get(instance.url("/state/instances")).body())) {
            if (entry.path("self").asBoolean()) {
                if (entry.path("activePartitions").isEmpty() || entry.path("offsetLag").isEmpty()) {
                    return false;
                }
                for (com.fasterxml.jackson.databind.JsonNode store : entry.path("offsetLag")) {
                    for (com.fasterxml.jackson.databind.JsonNode lag : store) {
                        if (lag.asLong() > 50) {
                            return false;
                        }
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> secrets(String current, String previous) {
        return Map.of("FORWARD_SECRET", current, "FORWARD_SECRET_PREVIOUS", previous);
    }

    /** A token this service would have issued under {@code secret}. */
    private static String staleToken(String secret) {
        return new io.wordcountiq.wire.Tokens(List.of(secret))
                .encode(new io.wordcountiq.model.ConsistencyToken(Map.of(), java.util.Set.of(), Map.of(0, 1L)));
    }

    /**
     * One instance's turn, as Kubernetes rolls a pod: out of the load balancer, SIGTERM, started with the new
     * settings, ready, back in. All the while the instance's own port is asked for a key directly.
     */
    private InstanceProcess roll(LocalCluster cluster, NginxProcess lb, List<InstanceProcess> instances, int i,
                                 Map<String, String> secrets, String word, Map<String, Integer> statuses,
                                 List<String> bad) throws Exception {
        InstanceProcess old = instances.get(i);
        List<InstanceProcess> others = new ArrayList<>(instances);
        others.remove(old);
        lb.serve(others);
        AtomicBoolean watching = new AtomicBoolean(true);
        String direct = old.url("/state/keyvalue/word-count/" + word);
        Thread watch = new Thread(() -> {
            while (watching.get()) {
                Reply r = Http.get(direct);
                String status = Integer.toString(r.status());
                synchronized (statuses) {
                    statuses.merge(status, 1, Integer::sum);
                    boolean fine = r.status() == -1 || (r.status() == 200 && r.body().equals(corpus.keyJson(word)))
                            || (r.status() == 503 && r.header("Retry-After") != null && r.body().contains("\"error\""));
                    if (!fine && bad.size() < 20) {
                        bad.add(r.status() + " " + r.body());
                    }
                }
                await().pollDelay(Duration.ofMillis(5)).until(() -> true);
            }
        }, "direct-" + old.name());
        watch.start();
        old.stop();
        Map<String, String> env = new HashMap<>(old.env());
        env.putAll(secrets);
        InstanceProcess restarted = cluster.start(old.name(), env);
        List<InstanceProcess> all = new ArrayList<>(instances);
        all.set(i, restarted);
        restarted.awaitReady(Duration.ofSeconds(120));
        // Before the next instance goes, this one holds its copies again (its own lags small), as a PodDisruptionBudget
        // with a readiness gate on lag would wait.
        await(restarted.name() + " caught up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> caughtUp(restarted));
        lb.serve(all);
        watching.set(false);
        watch.join();
        return restarted;
    }
}
