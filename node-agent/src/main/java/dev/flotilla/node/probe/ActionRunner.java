package dev.flotilla.node.probe;

import dev.flotilla.node.cri.v1.ExecSyncResponse;
import dev.flotilla.node.runtime.CriClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs a probe's or hook's handler against a container: exec through CRI ExecSync, and the network
 * handlers from the node to the pod's IP, each bounded by {@code timeout}.
 */
public final class ActionRunner {

    /** Upstream keeps only this much of a probe's output for its messages. */
    private static final int MAX_OUTPUT = 10 * 1024;

    private final CriClient cri;
    private final HttpGetCheck http = new HttpGetCheck();
    private final TcpSocketCheck tcp = new TcpSocketCheck();
    private final GrpcHealthCheck grpc = new GrpcHealthCheck();

    public ActionRunner(CriClient cri) {
        this.cri = cri;
    }

    public Outcome run(Action action, ActionTarget target, Duration timeout) {
        if (action.exec() != null) {
            return exec(action.exec().getCommand(), target, timeout);
        }
        if (action.httpGet() != null) {
            return http.check(action.httpGet(), target, timeout);
        }
        if (action.tcpSocket() != null) {
            return tcp.check(action.tcpSocket(), target, timeout);
        }
        if (action.grpc() != null) {
            return grpc.check(action.grpc(), target, timeout);
        }
        if (action.sleep() != null) {
            return sleep(action.sleep().getSeconds() == null ? 0 : action.sleep().getSeconds());
        }
        return Outcome.failure("missing probe handler");
    }

    private Outcome exec(List<String> command, ActionTarget target, Duration timeout) {
        if (command == null || command.isEmpty()) {
            return Outcome.failure("exec command is empty");
        }
        try {
            ExecSyncResponse response = cri.execSync(target.containerId(), command, timeout);
            String output = truncate(response.getStdout().toString(StandardCharsets.UTF_8)
                    + response.getStderr().toString(StandardCharsets.UTF_8));
            return response.getExitCode() == 0 ? new Outcome(true, output) : Outcome.failure(output.isEmpty()
                    ? "command " + command + " exited with " + response.getExitCode() : output);
        } catch (StatusRuntimeException e) {
            String description = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED || description.contains("timeout")) {
                return Outcome.failure("command " + quoted(command) + " timed out");
            }
            return Outcome.failure("exec failed: " + e.getStatus().getCode() + " " + description);
        }
    }

    private static Outcome sleep(long seconds) {
        try {
            Thread.sleep(Duration.ofSeconds(Math.max(0, seconds)).toMillis());
            return Outcome.SUCCESS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure("sleep interrupted");
        }
    }

    private static String quoted(List<String> command) {
        return "\"" + String.join(" ", command) + "\"";
    }

    static String truncate(String output) {
        return output.length() <= MAX_OUTPUT ? output : output.substring(0, MAX_OUTPUT);
    }

    public void close() {
        grpc.close();
    }
}
