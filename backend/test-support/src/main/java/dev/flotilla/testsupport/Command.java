package dev.flotilla.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command line to completion (kubectl, the launcher, psql) and keeps its exit code and output. */
public final class Command {

    public record Result(int exitCode, String output, List<String> command) {
        /** Fails with the command's output when it did not exit 0. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + " from " + String.join(" ", command) + ":\n" + output);
            }
            return this;
        }
    }

    private Command() {
    }

    public static Result run(Duration timeout, Path workDir, Map<String, String> env, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS), List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read output of " + String.join(" ", command), e);
        }
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, null, Map.of(), command);
    }
}
