package io.wordcountiq.streams;

import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/** Reads the whole count table from the output topic into a global store, so an observer answers every key. */
public final class ObserverTopology {

    private ObserverTopology() {
    }

    public static Topology build(String outputTopic, Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(outputTopic, Consumed.with(Serdes.String(), Serdes.Long()),
                Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(Names.WORD_COUNT_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()));
        return builder.build(props);
    }
}
