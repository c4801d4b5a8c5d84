package dev.flotilla.apiserver.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.platform.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSpoolTest {

    @TempDir
    Path dir;

    @Test
    void spooledEventsComeBackWholeAndInOrderAlsoAfterARestart() throws Exception {
        AuditEvent first = event("outage-0");
        AuditEvent second = event("outage-1");
        new AuditSpool(dir).append(List.of(first, second));

        AuditSpool restarted = new AuditSpool(dir);
        assertThat(restarted.pending()).isTrue();
        List<AuditEvent> stored = new ArrayList<>();
        restarted.replay(stored::addAll, 1);

        assertThat(stored).containsExactly(first, second);
        assertThat(restarted.pending()).isFalse();
        assertThat(dir.resolve("replaying.jsonl")).doesNotExist();
    }

    @Test
    void aFailedReplayKeepsEveryEventForTheNextOne() throws Exception {
        AuditSpool spool = new AuditSpool(dir);
        spool.append(List.of(event("a")));
        try {
            spool.replay(events -> {
                throw new java.sql.SQLException("down");
            }, 10);
        } catch (java.sql.SQLException expected) {
            // the database is still down
        }
        spool.append(List.of(event("b")));
        List<AuditEvent> stored = new ArrayList<>();
        spool.replay(stored::addAll, 10);
        assertThat(stored).extracting(AuditEvent::name).containsExactly("a", "b");
    }

    @Test
    void anInterruptedWriterStillSpools() throws Exception {
        AuditSpool spool = new AuditSpool(dir);
        Thread.currentThread().interrupt();
        try {
            spool.append(List.of(event("while-interrupted")));
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.readString(spool.file())).contains("while-interrupted");
    }

    private static AuditEvent event(String name) {
        return new AuditEvent(UUID.randomUUID(), UUID.randomUUID().toString(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), "admin", List.of("system:masters"), "", "globex",
                "create", "", "configmaps", "", "globex-dev", name, "/api/v1/namespaces/globex-dev/configmaps", 201,
                "kubectl", "127.0.0.1");
    }
}
