package io.wordcountiq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded default (no KAFKA_BOOTSTRAP_SERVERS) keeps its data in DATA_DIR: a restart keeps the counts. */
class EmbeddedRestartIT {

    @Test
    void shouldKeepTheCountsAcrossARestartAndStartAfreshInANewDataFolder() throws Exception {
        Path work = Files.createTempDirectory("embedded-restart-it");
        Map<String, String> env = Map.of("DATA_DIR", work.resolve("data").toString(), "STATE_DIR", "",
                "HTTP_PORT", Integer.toString(Ports.free()));
        InstanceProcess first = new InstanceProcess("first", work.resolve("first"), env).start();
        try {
            first.awaitReady(Duration.ofSeconds(120));
            assertThat(Http.postLines(first.url("/lines"), "kept kept kept\nonce").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(first.url("/state/keyvalue/word-count/kept")).status() == 200);
            assertThat(first.log()).contains("a new log in");
        } finally {
            first.stop();
        }

        InstanceProcess second = new InstanceProcess("second", work.resolve("second"), env).start();
        try {
            second.awaitReady(Duration.ofSeconds(120));
            assertThat(second.log()).contains("its log in");
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(second.url("/state/keyvalue/word-count/kept")).status() == 200);
            assertThat(Http.get(second.url("/state/keyvalue/word-count/kept")).body()).isEqualTo("{\"key\":\"kept\",\"value\":3}");
            assertThat(Http.postLines(second.url("/lines"), "once").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Http.get(second.url("/state/keyvalue/word-count/once")).body().equals("{\"key\":\"once\",\"value\":2}"));
        } finally {
            second.stop();
        }

        Map<String, String> fresh = Map.of("DATA_DIR", work.resolve("fresh-data").toString(), "STATE_DIR", "",
                "HTTP_PORT", env.get("HTTP_PORT"));
        InstanceProcess third = new InstanceProcess("third", work.resolve("third"), fresh).start();
        try {
            third.awaitReady(Duration.ofSeconds(120));
            assertThat(Http.get(third.url("/state/keyvalue/word-count/kept")).status()).as("a new data folder starts empty").isEqualTo(404);
        } finally {
            third.stop();
        }
    }
}
