package dev.flotilla.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server binary run for a test, with its output in a log file. Stopping sends SIGTERM and waits;
 * a JVM shutdown hook kills whatever a test forgot, so no process outlives the test run.
 */
final class ExternalProcess {

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private final Map<String, String> environment;
    private Process process;
    private final Thread reaper = new Thread(this::kill);

    ExternalProcess(String name, List<String> command, Path logFile, Map<String, String> environment) {
        this.name = name;
        this.command = List.copyOf(command);
        this.logFile = logFile;
        this.environment = Map.copyOf(environment);
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        try {
            Runtime.getRuntime().addShutdownHook(reaper);
        } catch (IllegalArgumentException alreadyAdded) {
            // registered by an earlier start of the same process
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Sends a signal by name (for example INT) and waits up to {@code grace} for the process to end. */
    synchronized void stopWithSignal(String signal, Duration grace) {
        if (process == null) {
            return;
        }
        run(Duration.ofSeconds(10), List.of("kill", "-" + signal, Long.toString(process.pid())));
        stop(grace);
    }

    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Runs a short command to completion and returns its output; fails when it exits non-zero. */
    static String run(Duration timeout, List<String> command) {
        Command.Result result = Command.run(timeout, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("exit " + result.exitCode() + " from " + String.join(" ", command)
                    + ":\n" + result.output());
        }
        return result.output();
    }
}
