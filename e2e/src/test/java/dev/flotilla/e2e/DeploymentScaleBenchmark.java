package dev.flotilla.e2e;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's rollout target, run by hand (not part of the suite; its name does not end in IT):
 * {@code mvn -pl e2e -am verify -Dit.test=DeploymentScaleBenchmark '-Dfailsafe.includes=**}{@code /*Benchmark.java'
 * [-Dbench.nodes=100] [-Dbench.replicas=1000]}. The server jar runs as its own process without its
 * in-process scheduler, the scheduler as another ({@code flotilla scheduler}), so each one's memory
 * can be read; hollow nodes in the test JVM. Creates one Deployment and measures the time from its
 * create to every replica Running (seen by a pod watch) and to the Deployment reporting them all
 * available; samples both processes' RSS every 500 ms. docs/benchmarks.md records the figures.
 */
class DeploymentScaleBenchmark {

    @Test
    void measure() throws Exception {
        int nodes = Integer.getInteger("bench.nodes", 100);
        int replicas = Integer.getInteger("bench.replicas", 1000);
        List<String> serverOptions = new ArrayList<>(List.of("-Dflotilla.scheduler.enabled=false"));
        String extra = System.getProperty("bench.serverJvm", "");
        if (!extra.isBlank()) {
            serverOptions.addAll(List.of(extra.split(" ")));
        }
        try (ForkedServer server = ForkedServer.start(serverOptions.toArray(String[]::new));
                KubernetesClient client = server.fabric8Client(Duration.ofSeconds(60))) {
            Process scheduler = server.startScheduler();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build())
                    .create();
            HollowNodes hollow = new HollowNodes(client, HollowNodeTemplate.of("bench-node", nodes)
                    .withCapacity("32", "128Gi", "110")).start();
            Await.until(Duration.ofMinutes(2), "the nodes are registered",
                    () -> client.nodes().list().getItems().size() == nodes);
            // A cluster's scheduler is running before anyone creates a Deployment: start the clock once it leads.
            Await.until(Duration.ofMinutes(2), "the scheduler holds its Lease", () -> {
                Lease lease = client.leases().inNamespace("kube-system").withName("flotilla-scheduler").get();
                return lease != null && lease.getSpec().getHolderIdentity() != null
                        && !lease.getSpec().getHolderIdentity().isEmpty();
            });
            long serverIdle = ForkedServer.rssKib(server.pid());
            long schedulerIdle = ForkedServer.rssKib(scheduler.pid());

            Set<String> seen = ConcurrentHashMap.newKeySet();
            Set<String> bound = ConcurrentHashMap.newKeySet();
            Set<String> running = ConcurrentHashMap.newKeySet();
            AtomicLong allRunningAt = new AtomicLong();
            Watch watch = client.pods().inNamespace("bench").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                        return;
                    }
                    seen.add(pod.getMetadata().getName());
                    if (pod.getSpec().getNodeName() != null) {
                        bound.add(pod.getMetadata().getName());
                    }
                    if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                            && running.add(pod.getMetadata().getName()) && running.size() == replicas) {
                        allRunningAt.set(System.nanoTime());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            AtomicLong serverPeak = new AtomicLong();
            AtomicLong schedulerPeak = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    serverPeak.accumulateAndGet(ForkedServer.rssKib(server.pid()), Math::max);
                    schedulerPeak.accumulateAndGet(ForkedServer.rssKib(scheduler.pid()), Math::max);
                } catch (java.io.IOException e) {
                    // the process is gone; the figures say so
                }
            }, 0, 500, TimeUnit.MILLISECONDS);

            long start = System.nanoTime();
            // Progress once a second: where a slow rollout spends its time (creates, binding, or status).
            sampler.scheduleAtFixedRate(() -> System.out.printf("%5.1f s: %d created, %d bound, %d Running%n",
                    (System.nanoTime() - start) / 1e9, seen.size(), bound.size(), running.size()), 1, 1, TimeUnit.SECONDS);
            client.apps().deployments().inNamespace("bench").resource(deployment(replicas)).create();
            Await.until(Duration.ofMinutes(10), "all " + replicas + " replicas Running (" + running.size() + " so far)",
                    () -> allRunningAt.get() != 0);
            double toRunning = (allRunningAt.get() - start) / 1e9;
            Await.until(Duration.ofMinutes(5), "the Deployment reports every replica available", () -> {
                Deployment current = client.apps().deployments().inNamespace("bench").withName("web").get();
                return current.getStatus() != null && current.getStatus().getAvailableReplicas() != null
                        && current.getStatus().getAvailableReplicas() == replicas;
            });
            double toAvailable = (System.nanoTime() - start) / 1e9;
            sampler.shutdown();
            watch.close();
            hollow.close();
            System.out.printf("Deployment of %d replicas on %d hollow nodes: all Running %.1f s after the create, "
                            + "Deployment available after %.1f s (load %s)%n", replicas, nodes, toRunning, toAvailable,
                    WatchCacheBenchmark.loadAverage());
            System.out.printf("| process | RSS with %d nodes, idle | peak during the rollout | after |%n", nodes);
            System.out.println("| --- | --- | --- | --- |");
            System.out.printf("| server (API server + controller manager) | %d MiB | %d MiB | %d MiB |%n", serverIdle / 1024,
                    serverPeak.get() / 1024, ForkedServer.rssKib(server.pid()) / 1024);
            System.out.printf("| scheduler | %d MiB | %d MiB | %d MiB |%n", schedulerIdle / 1024, schedulerPeak.get() / 1024,
                    ForkedServer.rssKib(scheduler.pid()) / 1024);
        }
    }

    private static Deployment deployment(int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/pause:3.9")
                .withNewResources().addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("16Mi")).endResources().endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
