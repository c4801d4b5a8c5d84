package dev.flotilla.apiserver.authn.apitokens;

import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.platform.tokens.ApiTokenStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when API tokens were last used without making a request wait: uses are noted in memory
 * (one entry per token, the latest time) and written to PostgreSQL once a second; while it is down
 * they are kept and written when it returns.
 */
@Singleton
public class ApiTokenLastUse {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenLastUse.class);

    private final ApiTokenStore store;
    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer = DaemonThreads.scheduler("api-token-last-use");
    private volatile boolean failing;

    public ApiTokenLastUse(ApiTokenStore store) {
        this.store = store;
        writer.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    void used(UUID token, Instant at) {
        pending.merge(token, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, Instant> batch = new HashMap<>();
        pending.keySet().forEach(id -> {
            Instant at = pending.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        });
        try {
            store.recordLastUse(batch);
            if (failing) {
                LOG.info("recording API token use again");
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            batch.forEach(this::used);
            if (!failing) {
                LOG.warn("cannot record API token use, keeping it until PostgreSQL answers: {}", e.getMessage());
                failing = true;
            }
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdownNow();
    }
}
