package io.netsnap.workflow;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camunda.zeebe.db.AccessMetricsConfiguration;
import io.camunda.zeebe.db.ColumnFamily;
import io.camunda.zeebe.db.ConsistencyChecksSettings;
import io.camunda.zeebe.db.DbKey;
import io.camunda.zeebe.db.DbValue;
import io.camunda.zeebe.db.TransactionContext;
import io.camunda.zeebe.db.ZeebeDb;
import io.camunda.zeebe.db.impl.rocksdb.RocksDbConfiguration;
import io.camunda.zeebe.db.impl.rocksdb.ZeebeRocksDbFactory;
import io.camunda.zeebe.protocol.ZbColumnFamilies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The embedded engine's state (instances, jobs, variables) in RocksDB, as the Zeebe broker keeps it, in a scratch
 * folder removed when the engine stops.
 *
 * <p>Why: zeebe-process-test's in-memory state copies its whole database into a new sorted map for every prefix
 * lookup, and the engine makes such lookups for nearly every record it processes (activating an element, completing
 * it, activating jobs). Each step then costs time in proportion to everything in flight, and a run's engine work grows
 * with the square of its fleet. RocksDB seeks: the cost of a step no longer depends on the fleet.
 *
 * <p>The folder is {@code netsnap-engine-<pid>-*} under {@code java.io.tmpdir}; folders of processes that no longer
 * run (killed before they could remove theirs) are removed when the next engine starts. The state holds no secret:
 * process variables carry none (DESIGN §3).
 */
final class EngineState {

    private static final Logger log = LoggerFactory.getLogger(EngineState.class);
    private static final String PREFIX = "netsnap-engine-";
    /** Native memory RocksDB may use for its write buffers and block cache; the broker's default is 512 MB. */
    private static final long MEMORY_LIMIT = 64L * 1024 * 1024;

    private EngineState() {
    }

    /** A new, empty state in a scratch folder of its own; closing it removes the folder. */
    static ZeebeDb<ZbColumnFamilies> open() {
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        removeAbandoned(scratch);
        Path folder;
        try {
            folder = Files.createTempDirectory(scratch, PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the embedded engine's state folder in " + scratch + ": "
                    + e.getMessage(), e);
        }
        RocksDbConfiguration configuration = new RocksDbConfiguration().setMemoryLimit(MEMORY_LIMIT);
        ZeebeDb<ZbColumnFamilies> db = new ZeebeRocksDbFactory<ZbColumnFamilies>(configuration,
                new ConsistencyChecksSettings(), new AccessMetricsConfiguration(AccessMetricsConfiguration.Kind.NONE, 1),
                SimpleMeterRegistry::new).createDb(folder.toFile());
        return new Removing(db, folder);
    }

    /** Folders left by engines whose process is gone. */
    private static void removeAbandoned(Path scratch) {
        try (Stream<Path> entries = Files.list(scratch)) {
            entries.filter(path -> abandoned(path.getFileName().toString())).forEach(EngineState::remove);
        } catch (IOException e) {
            log.debug("Could not look for abandoned engine state in {}: {}", scratch, e.getMessage());
        }
    }

    static boolean abandoned(String name) {
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
        } catch (NumberFormatException notOurs) {
            return false;
        }
    }

    private static void remove(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Could not remove the embedded engine's state folder {}: {}", folder, e.getMessage());
        }
    }

    /** The RocksDB state, and its folder removed once it is closed. */
    record Removing(ZeebeDb<ZbColumnFamilies> db, Path folder) implements ZeebeDb<ZbColumnFamilies> {

        @Override
        public <K extends DbKey, V extends DbValue> ColumnFamily<K, V> createColumnFamily(
                ZbColumnFamilies columnFamily, TransactionContext context, K keyInstance, V valueInstance) {
            return db.createColumnFamily(columnFamily, context, keyInstance, valueInstance);
        }

        @Override
        public void createSnapshot(File snapshotDir) {
            db.createSnapshot(snapshotDir);
        }

        @Override
        public Optional<String> getProperty(String propertyName) {
            return db.getProperty(propertyName);
        }

        @Override
        public TransactionContext createContext() {
            return db.createContext();
        }

        @Override
        public boolean isEmpty(ZbColumnFamilies column, TransactionContext context) {
            return db.isEmpty(column, context);
        }

        @Override
        public MeterRegistry getMeterRegistry() {
            return db.getMeterRegistry();
        }

        @Override
        public void exportMetrics() {
            db.exportMetrics();
        }

        @Override
        public void close() throws Exception {
            try {
                db.close();
            } finally {
                remove(folder);
            }
        }
    }
}
