package io.wordcountiq.ingest;

import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.streams.IdempotencyFilter;
import io.wordcountiq.streams.WordCountTopology;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/** The input topic's records for one POST /lines, and the store partitions their words count in. */
final class InputRecords {

    private InputRecords() {
    }

    /**
     * One record per line; with an Idempotency-Key, one record of all the lines keyed by it (the topology splits
     * words on line ends as on spaces, so the counts are the same), carrying the body's hash: every attempt of the
     * request lands in the key's input partition, where the topology counts only the first.
     */
    static List<ProducerRecord<String, String>> of(LinesToWrite request, String inputTopic) {
        if (request.idempotency() == null) {
            return request.lines().stream().map(line -> new ProducerRecord<String, String>(inputTopic, line)).toList();
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(inputTopic, request.idempotency().key(),
                String.join("\n", request.lines()));
        record.headers().add(IdempotencyFilter.BODY_HASH_HEADER,
                ByteBuffer.allocate(Long.BYTES).putLong(request.idempotency().bodyHash()).array());
        return List.of(record);
    }

    /**
     * The store partitions the lines' words count in: the repartition topic has as many partitions as the input
     * topic, and the words are keyed by themselves (the default partitioner's murmur2 of their UTF-8).
     */
    static Set<Integer> touched(List<String> lines, int partitions) {
        Set<Integer> out = new TreeSet<>();
        for (String line : lines) {
            for (String word : WordCountTopology.words(line)) {
                out.add(Utils.toPositive(Utils.murmur2(word.getBytes(StandardCharsets.UTF_8))) % partitions);
            }
        }
        return out;
    }
}
