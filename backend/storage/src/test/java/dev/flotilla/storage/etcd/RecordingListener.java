package dev.flotilla.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import dev.flotilla.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a watch delivers and checks the listener contract: one call at a time, nothing after an error. */
class RecordingListener implements WatchListener {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<StorageException> error = new AtomicReference<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(WatchEvent event) {
        enter("onEvent " + event);
        try {
            if (error.get() != null) {
                violations.add("event after error: " + event);
            }
            events.add(event);
        } finally {
            inCall.decrementAndGet();
        }
    }

    @Override
    public void onError(StorageException e) {
        enter("onError " + e);
        try {
            if (!error.compareAndSet(null, e)) {
                violations.add("second error: " + e);
            }
        } finally {
            inCall.decrementAndGet();
        }
    }

    private void enter(String call) {
        if (inCall.incrementAndGet() != 1) {
            violations.add("concurrent call: " + call);
        }
    }

    List<WatchEvent> events() {
        assertThat(violations).isEmpty();
        return List.copyOf(events);
    }

    /** Waits until an event for {@code key} has arrived and returns everything delivered so far. */
    List<WatchEvent> awaitEventFor(String key) {
        Await.until(WAIT, "a watch event for " + key + "; have " + events + ", error " + error.get(),
                () -> events.stream().anyMatch(e -> e.key().equals(key)));
        return events();
    }

    List<WatchEvent> awaitEvents(int count) {
        Await.until(WAIT, count + " watch events; have " + events + ", error " + error.get(), () -> events.size() >= count);
        return events();
    }

    StorageException awaitError() {
        StorageException e = Await.value(WAIT, "a watch error; events " + events, error::get);
        assertThat(violations).isEmpty();
        return e;
    }

    StorageException error() {
        return error.get();
    }
}
