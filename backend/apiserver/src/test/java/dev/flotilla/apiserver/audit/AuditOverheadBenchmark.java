package dev.flotilla.apiserver.audit;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.RequestInfo;
import dev.flotilla.platform.audit.AuditEvent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * What auditing adds on a request's own thread, run by hand (not in the suite):
 * {@code mvn -pl backend/apiserver test -Dtest=AuditOverheadBenchmark}. Times the work
 * {@code ApiRequestHandler} does for an audited request (the Audit-Id, the event, the offer to the
 * bounded buffer, the response header) with a consumer draining the buffer, and prints p50/p99.
 */
class AuditOverheadBenchmark {

    @Test
    void measure() throws Exception {
        ArrayBlockingQueue<AuditEvent> buffer = new ArrayBlockingQueue<>(10_000);
        Thread drain = new Thread(() -> {
            List<AuditEvent> batch = new java.util.ArrayList<>();
            while (!Thread.currentThread().isInterrupted()) {
                buffer.drainTo(batch, 500);
                batch.clear();
                Thread.onSpinWait();
            }
        });
        drain.setDaemon(true);
        drain.start();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.add("User-Agent", "kubectl/v1.32.0 (linux/amd64) kubernetes/abc");
        ApiRequest request = new ApiRequest(HttpMethod.POST, "/api/v1/namespaces/team/configmaps",
                Map.of("fieldManager", List.of("kubectl-create")), headers, new byte[0],
                new UserInfo("alice", List.of("dev", "system:authenticated")));
        RequestInfo info = RequestInfo.of("POST", request.path(), request.query());
        UserInfo user = request.user();
        int rounds = 200_000;
        long[] nanos = new long[rounds];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                String auditId = RequestAudit.auditId(headers.get(RequestAudit.HEADER));
                if (RequestAudit.audited(info, 201)) {
                    buffer.offer(RequestAudit.event(auditId, Instant.now(), info, request, user, user, 201, null, "127.0.0.1"));
                }
                nanos[i] = System.nanoTime() - start;
            }
        }
        drain.interrupt();
        Arrays.sort(nanos);
        System.out.printf("audit on the request thread: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs (%d requests)%n",
                nanos[rounds / 2] / 1000.0, nanos[rounds * 99 / 100] / 1000.0, nanos[rounds * 999 / 1000] / 1000.0,
                rounds);
    }
}
