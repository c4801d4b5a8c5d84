package dev.flotilla.node.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs containerd as a child process with the agent's own {@link ContainerdConfig} and starts it
 * again when it exits (1 s back-off doubling to 30 s). Containers survive both a containerd restart
 * and an agent restart: their shims keep running and the next containerd finds them in its state.
 */
public final class ContainerdSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerdSupervisor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ContainerdConfig config;
    private final String binary;
    private volatile Process process;
    private volatile boolean stopping;
    private Thread watcher;

    public ContainerdSupervisor(ContainerdConfig config, String binary) {
        this.config = config;
        this.binary = binary;
    }

    public ContainerdConfig config() {
        return config;
    }

    /** Writes the configuration, starts containerd and keeps it running until {@link #close} (again after one). */
    public synchronized ContainerdSupervisor start() {
        stopping = false;
        try {
            Files.createDirectories(config.directory());
            Files.createDirectories(config.cniConfDir());
            Files.writeString(config.file(), config.render());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config.file(), e);
        }
        process = launch();
        watcher = new Thread(this::superviseLoop, "containerd-supervisor");
        watcher.setDaemon(true);
        watcher.start();
        return this;
    }

    public boolean running() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private Process launch() {
        try {
            Files.deleteIfExists(config.socket());
            Path log = config.directory().resolve("containerd.log");
            return new ProcessBuilder(binary, "--config", config.file().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    private void superviseLoop() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            Process current = process;
            try {
                int code = current.waitFor();
                if (stopping) {
                    return;
                }
                LOG.warn("containerd exited with {}; restarting in {} s", code, backoff.toSeconds());
                Thread.sleep(backoff.toMillis()); // back-off before a restart, not a wait for a condition
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                synchronized (this) {
                    if (!stopping) {
                        process = launch();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("cannot restart containerd: {}", e.getMessage());
            }
        }
    }

    /** Stops containerd (SIGTERM, SIGKILL after 10 s); containers' shims keep running. */
    @Override
    public synchronized void close() {
        stopping = true;
        if (watcher != null) {
            watcher.interrupt();
        }
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroy();
        try {
            if (!current.waitFor(10, TimeUnit.SECONDS)) {
                current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills containerd without letting it clean up, as a crash would (tests of the restart path). */
    public void kill() {
        process.destroyForcibly();
    }
}
