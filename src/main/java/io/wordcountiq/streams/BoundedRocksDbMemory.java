package io.wordcountiq.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's memory for every store of this process together (ROCKSDB_MEMORY_MB): one shared block cache that
 * also holds index and filter blocks, and memtables counted against it through a write buffer manager. Without it
 * each store sizes its own caches and memtables, and a large store grows off-heap memory without limit. The
 * container's memory limit is the heap, plus this, plus the JVM's own.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Streams config key holding the budget in bytes. */
    public static final String MEMORY_BYTES = "wordcount.iq.rocksdb.memory.bytes";

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long total = Long.parseLong(String.valueOf(configs.get(MEMORY_BYTES)));
        share(total);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBufferManager);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(Math.max(1L << 20, total / 16));
    }

    private static synchronized void share(long total) {
        if (cache == null) {
            // A quarter for memtables, counted inside the cache; a tenth of the cache kept for index and filters.
            cache = new LRUCache(total, -1, false, 0.1);
            writeBufferManager = new WriteBufferManager(total / 4, cache);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store of the process: never closed here.
    }
}
