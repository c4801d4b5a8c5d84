package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restart the API server while 200 writers create objects and 20 watchers watch them: every write
 * the server acknowledged is in etcd, and every watcher, resuming by itself, ends with exactly the
 * objects etcd holds, each seen once.
 */
class DurabilityIT {

    private static final String ROOT_CA = "kube-root-ca.crt";
    private static final String NS = "durable";
    private static final int WRITERS = 200;
    private static final int WATCHERS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void acknowledgedWritesSurviveARestartAndWatchersMissNothing() throws Exception {
        List<Map<String, Integer>> seen = new ArrayList<>();
        List<Watch> watches = new ArrayList<>();
        List<String> closes = new CopyOnWriteArrayList<>();
        for (int w = 0; w < WATCHERS; w++) {
            Map<String, Integer> added = new ConcurrentHashMap<>();
            seen.add(added);
            watches.add(client.configMaps().inNamespace(NS).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, ConfigMap cm) {
                    // kube-root-ca.crt is the root CA publisher's, not one of the writers' objects.
                    if (action == Action.ADDED && !ROOT_CA.equals(cm.getMetadata().getName())) {
                        added.merge(cm.getMetadata().getName(), 1, Integer::sum);
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    closes.add(cause == null ? "closed" : cause.toString());
                }
            }));
        }

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> serverErrors = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        // One client with a connection pool for all writers, as a real controller fleet would have.
        var http = cluster.admin();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.submit(() -> {
                int n = 0;
                while (writing.get()) {
                    String name = "w" + writer + "-" + n;
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                        cluster.url() + "/api/v1/namespaces/" + NS + "/configmaps"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                        + "\"metadata\":{\"name\":\"" + name + "\"}}")).build());
                        if (response.statusCode() == 201) {
                            acknowledged.add(name);
                            n++;
                        } else if (response.statusCode() == 409) {
                            n++; // written before an interrupted answer; the retry found it
                            acknowledged.add(name);
                        } else if (response.statusCode() >= 500 && response.statusCode() != 503) {
                            serverErrors.add(response.statusCode() + " " + response.body());
                        }
                    } catch (RuntimeException connectionLost) {
                        // the server is restarting (refused, reset, timed out): try the same name again
                        failures.merge(connectionLost.getClass().getSimpleName(), 1, Integer::sum);
                    }
                }
                return null;
            });
        }

        Await.until(Duration.ofSeconds(60), "writes before the restart", () -> acknowledged.size() >= 200);
        cluster.restartServer();
        int atRestart = acknowledged.size();
        try {
            Await.until(Duration.ofSeconds(60), "writes after the restart", () -> acknowledged.size() >= atRestart + 200);
        } catch (AssertionError e) {
            throw new AssertionError("writes stalled after the restart; write failures: " + failures, e);
        }
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serverErrors).isEmpty();

        Set<String> inEtcd = Arrays.stream(Command.run(Duration.ofSeconds(60), List.of("etcdctl", "--endpoints",
                        cluster.etcdEndpoint(), "get", "--prefix", "--keys-only", "/registry/core/configmaps/" + NS + "/"))
                        .assertSuccess().output().split("\n"))
                .map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> k.substring(k.lastIndexOf('/') + 1))
                .filter(name -> !name.equals(ROOT_CA))
                .collect(Collectors.toSet());
        assertThat(inEtcd).as("every acknowledged write is in etcd").containsAll(acknowledged);

        for (int w = 0; w < WATCHERS; w++) {
            Map<String, Integer> added = seen.get(w);
            try {
                Await.until(Duration.ofSeconds(90), "watcher " + w + " to catch up with etcd",
                        () -> added.keySet().containsAll(inEtcd));
            } catch (AssertionError e) {
                Set<String> missing = new HashSet<>(inEtcd);
                missing.removeAll(added.keySet());
                throw new AssertionError("watcher " + w + " misses " + missing.size() + " of " + inEtcd.size()
                        + " objects, e.g. " + missing.stream().limit(5).toList() + "; watch closes: " + closes, e);
            }
            assertThat(new HashSet<>(added.keySet())).as("watcher %d saw exactly etcd's objects", w).isEqualTo(inEtcd);
            assertThat(added.values()).as("watcher %d saw each object once", w).allMatch(count -> count == 1);
        }
        watches.forEach(Watch::close);
    }
}
