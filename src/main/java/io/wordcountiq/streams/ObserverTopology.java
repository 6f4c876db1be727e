package io.wordcountiq.streams;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * An observer's state: the whole count table from the output topic, and every window of every word from the windowed
 * output topic, each in a global store, so an observer answers every key and every window without forwarding.
 *
 * <p>The windowed store keeps windows for WINDOW_RETENTION_MS, as the word-count instances' store does: it is a
 * retention-bounded store, which drops whole segments once they are older than the retention behind the newest window
 * it has seen (and ignores older windows a restore replays), so expired windows leave an observer as they leave the
 * source. The compacted topic keeps a window's last count; its delete policy drops records older than the retention.
 */
public final class ObserverTopology {

    private ObserverTopology() {
    }

    public static Topology build(String outputTopic, String windowedOutputTopic, Duration windowSize,
                                 Duration windowRetention, Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.WORD_COUNT_STORE),
                        Serdes.String(), Serdes.Long()).withLoggingDisabled(),
                outputTopic, Consumed.with(Serdes.String(), Serdes.Long()), CountUpdate::new);
        Duration retention = windowRetention.compareTo(windowSize) < 0 ? windowSize : windowRetention;
        builder.addGlobalStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.WINDOWED_WORD_COUNT_STORE,
                        retention, windowSize, false), Serdes.String(), Serdes.Long()).withLoggingDisabled(),
                windowedOutputTopic, Consumed.with(WindowedOutput.keySerde(windowSize), Serdes.Long()), WindowUpdate::new);
        return builder.build(props);
    }

    /** Applies a count update (a null count deletes the word). */
    private static final class CountUpdate implements Processor<String, Long, Void, Void> {
        private KeyValueStore<String, Long> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(Names.WORD_COUNT_STORE);
        }

        @Override
        public void process(Record<String, Long> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }

    /** Applies a window's count at its start (a null count removes the window). */
    private static final class WindowUpdate implements Processor<Windowed<String>, Long, Void, Void> {
        private WindowStore<String, Long> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(Names.WINDOWED_WORD_COUNT_STORE);
        }

        @Override
        public void process(Record<Windowed<String>, Long> record) {
            store.put(record.key().key(), record.value(), record.key().window().start());
        }
    }
}
