package dev.flotilla.e2e;

import dev.flotilla.node.NodeAgentCommand;
import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.runtime.Mounts;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.NodePackages;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's pod startup SLO and the agent's footprint, run by hand (root):
 * {@code mvn -pl e2e verify -Dit.test=PodStartupBenchmark '-Dfailsafe.includes=**}{@code /*Benchmark.java'
 * [-Dbench.pods=30] [-Dbench.idleSeconds=60] [-Dbench.agentJvm="-Xmx128m ..."] [-Dbench.cniBinDir=DIR]
 * [-Dbench.pullPolicy=Always] [-Dbench.warmupBursts=1]}. A node agent joined with a bootstrap token runs as
 * its own JVM with the launcher's options; after one warm-up pod (so the image is present) and a
 * warm-up burst of N pods, created and deleted (so neither JVM meets the paths for the first time), N pods
 * (imagePullPolicy IfNotPresent unless told) are created at once and the time from each create call to the watch event that shows it Running is recorded. Then,
 * with the N pods running, the agent's RSS and its CPU over an idle period are read from /proc.
 * docs/benchmarks.md records the figures.
 */
class PodStartupBenchmark {

    private static final String NODE = "bench-node";
    private static final String BURST_LABEL = "warm-up-burst";
    /** The launcher's FLOTILLA_NODE_AGENT_JAVA_OPTS default. */
    private static final List<String> AGENT_JVM = List.of("-Xms16m", "-Xmx64m", "-Xmn8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=15", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m",
            "-XX:TrimNativeHeapInterval=10000", "-Dio.netty.allocator.type=unpooled");

    @Test
    void measure() throws Exception {
        NodePackages.assumeRootAndInstall();
        int pods = Integer.getInteger("bench.pods", 30);
        int idleSeconds = Integer.getInteger("bench.idleSeconds", 60);
        Path stateDir = TempDirs.create("flotilla-bench-agent-");
        Process agent = null;
        try (ControlPlane cluster = ControlPlane.start("--flotilla.apiserver.kubelet.allow-local-proxy-targets=true");
                KubernetesClient client = cluster.fabric8Client(Duration.ofSeconds(30))) {
            NodeAgentCluster.join(client, NODE, stateDir);
            agent = startAgent(stateDir);
            Await.until(Duration.ofMinutes(2), "node Ready", () -> {
                var node = client.nodes().withName(NODE).get();
                return node != null && node.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
            createAndAwaitRunning(client, List.of("warm-up"), "Always", new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            // A cluster that has run pods before: both JVMs have compiled the paths a pod's start takes.
            for (int round = 0; round < Integer.getInteger("bench.warmupBursts", 1); round++) {
                List<String> warm = new ArrayList<>();
                for (int i = 0; i < pods; i++) {
                    warm.add("warm-" + round + "-" + i);
                }
                createAndAwaitRunning(client, warm, "IfNotPresent", new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
                // Graceful (1 s), so the pods are gone from the API only once the agent has torn them down.
                client.pods().inNamespace("default").withLabel(BURST_LABEL).withGracePeriod(1).delete();
                Await.until(Duration.ofMinutes(2), "warm-up burst gone", () -> client.pods().inNamespace("default")
                        .withLabel(BURST_LABEL).list().getItems().isEmpty());
            }

            List<String> names = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                names.add("pod-" + i);
            }
            Map<String, Instant> created = new ConcurrentHashMap<>();
            Map<String, Instant> running = new ConcurrentHashMap<>();
            long controlPlane = ProcessHandle.current().pid();
            long[] before = {cpuTicks(agent.pid()), cpuTicks(controlPlane), busyTicks()};
            // The SLO is for an image that is present (upstream's excludes pulling): no registry round trip per pod.
            createAndAwaitRunning(client, names, System.getProperty("bench.pullPolicy", "IfNotPresent"), created, running);
            List<Double> seconds = sortedSeconds(names, created::get, running::get);
            System.out.printf("pod startup, %d pods at once on one node: p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s%n",
                    pods, percentile(seconds, 50), percentile(seconds, 90), percentile(seconds, 99),
                    seconds.get(seconds.size() - 1));
            long[] after = {cpuTicks(agent.pid()), cpuTicks(controlPlane), busyTicks()};
            printPhases(client, stateDir, names, created, running);
            // USER_HZ = 100: ticks / 100 are CPU seconds.
            System.out.printf("CPU during the burst: %.1f s in all (both cores), node agent %.1f s, control plane and"
                    + " this test %.1f s, the rest (containerd, shims, runc, CNI plugins, etcd, kernel) %.1f s%n",
                    (after[2] - before[2]) / 100.0, (after[0] - before[0]) / 100.0, (after[1] - before[1]) / 100.0,
                    ((after[2] - before[2]) - (after[0] - before[0]) - (after[1] - before[1])) / 100.0);

            long agentPid = agent.pid();
            long rssKib = rssKib(agentPid);
            long[] idleBefore = {cpuTicks(agentPid), cpuTicks(controlPlane), cpuTicksOf("postgres"), cpuTicksOf("etcd")};
            Thread.sleep(idleSeconds * 1000L); // measuring CPU over a fixed idle period is the point here
            long[] idleAfter = {cpuTicks(agentPid), cpuTicks(controlPlane), cpuTicksOf("postgres"), cpuTicksOf("etcd")};
            double[] percent = new double[idleAfter.length];
            for (int i = 0; i < percent.length; i++) {
                percent[i] = 100.0 * (idleAfter[i] - idleBefore[i]) / 100.0 / idleSeconds; // USER_HZ = 100
            }
            System.out.printf("node agent with %d pods running: RSS %d MiB (after idle: %d MiB), idle CPU %.2f%% of a core"
                    + " over %d s%n", pods + 1, rssKib / 1024, rssKib(agentPid) / 1024, percent[0], idleSeconds);
            System.out.printf("idle CPU of the rest meanwhile: control plane and this test %.2f%%, PostgreSQL %.2f%%,"
                    + " etcd %.2f%% of a core%n", percent[1], percent[2], percent[3]);
            client.pods().inNamespace("default").withGracePeriod(0).delete();
            Await.until(Duration.ofMinutes(2), "pods gone", () -> client.pods().inNamespace("default").list()
                    .getItems().isEmpty());
        } finally {
            if (agent != null) {
                agent.destroy();
                agent.waitFor(30, TimeUnit.SECONDS);
            }
            new ProcessBuilder(javaCommand(List.of("reset", "--state-dir", stateDir.toString()))).inheritIO().start()
                    .waitFor(2, TimeUnit.MINUTES);
            Mounts.unmountAll(stateDir);
            TempDirs.deleteRecursively(stateDir);
        }
    }

    private static Process startAgent(Path stateDir) throws IOException {
        List<String> command = javaCommand(List.of("run", "--state-dir", stateDir.toString(), "--node-name", NODE,
                "--node-ip", "127.0.0.1", "--kubelet-address", "127.0.0.1",
                "--kubelet-port", Integer.toString(FreePorts.next()),
                // busybox:latest is pulled (imagePullPolicy Always) from the platform registry, as in NodeAgentCluster
                "--image-registry", PlatformImages.registry().address()));
        String cniBinDir = System.getProperty("bench.cniBinDir"); // e.g. plugins wrapped to log their timing
        if (cniBinDir != null) {
            command.addAll(List.of("--cni-bin-dir", cniBinDir));
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("node-agent.log").toFile()).start();
    }

    private static List<String> javaCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jvm = System.getProperty("bench.agentJvm");
        command.addAll(jvm == null ? AGENT_JVM : List.of(jvm.trim().split("\\s+")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeAgentCommand.class.getName());
        command.addAll(args);
        return command;
    }

    /** Creates the pods from several threads at once, recording each create call and when the watch showed it Running. */
    private static void createAndAwaitRunning(KubernetesClient client, List<String> names, String pullPolicy,
                                              Map<String, Instant> created, Map<String, Instant> running) throws Exception {
        try (Watch watch = client.pods().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
                    running.putIfAbsent(pod.getMetadata().getName(), Instant.now());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<?>> creates = new ArrayList<>();
            for (String name : names) {
                creates.add(writers.submit(() -> {
                    created.put(name, Instant.now());
                    client.pods().inNamespace("default").resource(pod(name, pullPolicy)).create();
                }));
            }
            writers.shutdown();
            for (Future<?> create : creates) {
                create.get(1, TimeUnit.MINUTES); // a refused create fails the run with the API's message
            }
            Await.until(Duration.ofMinutes(3), names.size() + " pods Running",
                    () -> running.keySet().containsAll(names));
        }
    }

    /** busybox (that is, busybox:latest, pulled unless {@code pullPolicy} says otherwise) sleeping. */
    private static Pod pod(String name, String pullPolicy) {
        Pod pod = NodeAgentCluster.busyboxPod(name, "Always", "sleep 3600");
        if (name.startsWith("warm-") && !name.equals("warm-up")) {
            pod.getMetadata().setLabels(Map.of(BURST_LABEL, "true"));
        }
        pod.getSpec().getContainers().get(0).setImagePullPolicy(pullPolicy);
        return pod;
    }

    /**
     * Where the time went, as medians: create → scheduled (the binding's time in the API), scheduled →
     * sandbox created, sandbox → container created (containerd's own timestamps), container → Running
     * seen by the watch.
     */
    private static void printPhases(KubernetesClient client, Path stateDir, List<String> names,
                                    Map<String, Instant> created, Map<String, Instant> running) {
        Map<String, Instant> sandboxAt = new HashMap<>();
        Map<String, Instant> containerAt = new HashMap<>();
        try (CriClient cri = new CriClient(stateDir.resolve("containerd/containerd.sock"))) {
            for (PodSandbox sandbox : cri.listPodSandboxes()) {
                sandboxAt.put(sandbox.getMetadata().getName(), nanos(sandbox.getCreatedAt()));
            }
            for (var container : cri.listContainers()) {
                containerAt.put(container.getLabelsMap().get("io.kubernetes.pod.name"), nanos(container.getCreatedAt()));
            }
        }
        Map<String, Instant> scheduledAt = new HashMap<>();
        for (Pod pod : client.pods().inNamespace("default").list().getItems()) {
            pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst()
                    .ifPresent(c -> scheduledAt.put(pod.getMetadata().getName(), Instant.parse(c.getLastTransitionTime())));
        }
        System.out.printf("phases (medians): create→scheduled %.3f s (1 s resolution), create→sandbox created %.3f s,"
                        + " sandbox→container created %.3f s, container created→Running seen %.3f s%n",
                percentile(sortedSeconds(names, created::get, scheduledAt::get), 50),
                percentile(sortedSeconds(names, created::get, sandboxAt::get), 50),
                percentile(sortedSeconds(names, sandboxAt::get, containerAt::get), 50),
                percentile(sortedSeconds(names, containerAt::get, running::get), 50));
    }

    private static Instant nanos(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private static List<Double> sortedSeconds(List<String> names, Function<String, Instant> from,
                                              Function<String, Instant> to) {
        List<Double> seconds = new ArrayList<>();
        for (String name : names) {
            if (from.apply(name) != null && to.apply(name) != null) {
                seconds.add(Duration.between(from.apply(name), to.apply(name)).toNanos() / 1e9);
            }
        }
        Collections.sort(seconds);
        return seconds;
    }

    private static double percentile(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** utime + stime of every process of this name ({@code comm}), in clock ticks. */
    private static long cpuTicksOf(String comm) throws IOException {
        long ticks = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path dir : processes.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals(comm)) {
                        ticks += cpuTicks(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException exited) {
                    // gone between the listing and the read
                }
            }
        }
        return ticks;
    }

    /** The machine's busy time (all but idle and iowait) since boot, in clock ticks. */
    private static long busyTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy;
    }

    /** utime + stime of the process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
