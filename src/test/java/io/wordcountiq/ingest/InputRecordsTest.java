package io.wordcountiq.ingest;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.IdempotencyKey;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.streams.IdempotencyFilter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InputRecordsTest {

    @Test
    void shouldWriteOneUnkeyedRecordPerLine() {
        List<ProducerRecord<String, String>> records = InputRecords.of(
                new LinesToWrite(List.of("a b", "c"), ConsistencyToken.NONE, null, null), "lines");

        assertThat(records).extracting(ProducerRecord::topic, ProducerRecord::key, ProducerRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lines", null, "a b"),
                        org.assertj.core.groups.Tuple.tuple("lines", null, "c"));
    }

    @Test
    void shouldWriteAllLinesAsOneRecordKeyedByTheIdempotencyKeyWithTheBodysHash() {
        List<ProducerRecord<String, String>> records = InputRecords.of(new LinesToWrite(List.of("a b", "c"),
                ConsistencyToken.NONE, null, new IdempotencyKey("order-17", 42L)), "lines");

        assertThat(records).hasSize(1);
        ProducerRecord<String, String> record = records.get(0);
        assertThat(record.key()).isEqualTo("order-17");
        assertThat(record.value()).isEqualTo("a b\nc");
        assertThat(ByteBuffer.wrap(record.headers().lastHeader(IdempotencyFilter.BODY_HASH_HEADER).value()).getLong())
                .isEqualTo(42L);
    }

    @Test
    void shouldNameThePartitionsOfEveryWordAsTheDefaultPartitionerPlacesThem() {
        int partitions = 4;
        List<String> lines = List.of("alpha beta", "gamma alpha");

        assertThat(InputRecords.touched(lines, partitions)).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.of("alpha", "beta", "gamma")
                        .map(w -> Utils.toPositive(Utils.murmur2(w.getBytes(StandardCharsets.UTF_8))) % partitions)
                        .distinct().toList());
        assertThat(InputRecords.touched(List.of("   "), partitions)).isEmpty();
    }
}
