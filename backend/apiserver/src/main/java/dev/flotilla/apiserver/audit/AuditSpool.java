package dev.flotilla.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.platform.audit.AuditEvent;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events waiting for PostgreSQL, in an append-only file of JSON lines in the state directory
 * ({@code audit/spool.jsonl}). A replay first renames the file to {@code audit/replaying.jsonl}, so
 * appends go on into a fresh file while it inserts; the renamed file is deleted only once every one
 * of its events is stored. A crash in between replays it again, and the events' ids make the second
 * insert a no-op: none lost, none duplicated. A line cut short by a crash mid-append is skipped.
 */
final class AuditSpool {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSpool.class);

    /** Stores events; throws while the database cannot. */
    interface Sink {
        void store(List<AuditEvent> events) throws Exception;
    }

    private final Path spool;
    private final Path replaying;
    private volatile boolean pending;

    AuditSpool(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit spool directory " + dir, e);
        }
        this.spool = dir.resolve("spool.jsonl");
        this.replaying = dir.resolve("replaying.jsonl");
        this.pending = Files.exists(replaying) || size(spool) > 0;
    }

    Path file() {
        return spool;
    }

    boolean pending() {
        return pending;
    }

    /** Appends the events and forces them to disk. */
    synchronized void append(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (AuditEvent event : events) {
            lines.append(AuditEventJson.object(event).toString()).append('\n');
        }
        // A stream, not a FileChannel: a channel closes itself when the writing thread has been
        // interrupted (as a JDBC pool does on shutdown), which would lose exactly these events.
        try (FileOutputStream out = new FileOutputStream(spool.toFile(), true)) {
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
            pending = true;
        } catch (IOException e) {
            // Nowhere left to keep them: say so loudly rather than drop them silently.
            LOG.error("cannot append {} audit event(s) to {}: {}", events.size(), spool, e.getMessage());
            events.forEach(event -> LOG.error("unrecorded audit event: {}", AuditEventJson.object(event)));
        }
    }

    /**
     * Stores every spooled event through {@code sink} in batches, oldest first; stops at the first
     * failure and leaves what is not stored for the next replay.
     */
    void replay(Sink sink, int batchSize) throws Exception {
        while (true) {
            synchronized (this) {
                if (!Files.exists(replaying)) {
                    if (size(spool) == 0) {
                        pending = false;
                        return;
                    }
                    Files.move(spool, replaying, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            List<AuditEvent> events = read(replaying);
            for (int from = 0; from < events.size(); from += batchSize) {
                sink.store(events.subList(from, Math.min(events.size(), from + batchSize)));
            }
            Files.delete(replaying);
            LOG.info("{} spooled audit event(s) stored", events.size());
        }
    }

    private static List<AuditEvent> read(Path file) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode object = Json.mapper().readTree(line);
                    events.add(AuditEventJson.event(object));
                } catch (IOException | RuntimeException torn) {
                    LOG.warn("skipping an unreadable line of the audit spool {}: {}", file, torn.getMessage());
                }
            }
        }
        return events;
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
