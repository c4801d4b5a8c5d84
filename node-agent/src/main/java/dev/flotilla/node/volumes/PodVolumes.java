package dev.flotilla.node.volumes;

import dev.flotilla.api.storage.PodClaims;
import dev.flotilla.node.runtime.Mounts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A pod's volumes on this node, under {@code <root>/<pod uid>/volumes/<plugin>/<volume>} as upstream
 * lays them out: set up before the pod's containers are created, API-backed contents (configMap,
 * secret, downwardAPI, projected) rewritten atomically when they changed, and everything unmounted and
 * removed when the pod is gone. hostPath, persistentVolumeClaim and generic ephemeral volumes (their
 * claim {@code <pod>-<volume>}) are paths on the host.
 */
public final class PodVolumes {

    /** How often API-backed volume contents are compared with the API and rewritten when they changed. */
    public static final Duration REFRESH_PERIOD = Duration.ofSeconds(20);

    private final Path root;
    private final Payloads payloads;
    private final Claims claims;
    private final ServiceAccountTokens tokens;
    private final Clock clock;
    /** Volumes set up, by pod uid then volume name. */
    private final Map<String, Map<String, MountedVolume>> podVolumes = new ConcurrentHashMap<>();
    private final Map<String, Instant> refreshed = new ConcurrentHashMap<>();

    public PodVolumes(Path root, KubernetesClient client, String nodeName, String hostIp, Clock clock) {
        this.root = root;
        this.clock = clock;
        this.tokens = new ServiceAccountTokens(client, clock);
        this.payloads = new Payloads(client, nodeName, hostIp, tokens);
        this.claims = new Claims(client);
    }

    /** A volume's host path and whether every mount of it is read-only. */
    public record MountedVolume(Path path, boolean readOnly) {
    }

    /**
     * Sets up each of the pod's volumes that is not yet, and rewrites API-backed contents that changed
     * (at most every half {@link #REFRESH_PERIOD}); throws with upstream's
     * {@code MountVolume.SetUp failed for volume "x" : …} message when one cannot be.
     */
    public void setUp(Pod pod) {
        String uid = pod.getMetadata().getUid();
        Instant now = clock.instant();
        Instant last = refreshed.get(uid);
        boolean refresh = last == null || !now.isBefore(last.plus(REFRESH_PERIOD.dividedBy(2)));
        Map<String, MountedVolume> done = podVolumes.computeIfAbsent(uid, k -> new ConcurrentHashMap<>());
        for (Volume volume : list(pod.getSpec().getVolumes())) {
            MountedVolume existing = done.get(volume.getName());
            if (existing != null && !(refresh && apiBacked(volume))) {
                continue;
            }
            try {
                done.put(volume.getName(), setUp(pod, volume, existing == null));
            } catch (VolumeSetupException | UncheckedIOException e) {
                throw new VolumeSetupException("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : "
                        + e.getMessage(), e);
            }
        }
        if (refresh) {
            refreshed.put(uid, now);
        }
    }

    /** The pod's volumes as last set up, by name. */
    public Map<String, MountedVolume> volumes(String podUid) {
        return Map.copyOf(podVolumes.getOrDefault(podUid, Map.of()));
    }

    /** True when the pod has volumes whose contents follow API objects, which {@link #setUp} refreshes. */
    public static boolean hasApiBackedVolumes(Pod pod) {
        return list(pod.getSpec().getVolumes()).stream().anyMatch(PodVolumes::apiBacked);
    }

    private static boolean apiBacked(Volume volume) {
        return volume.getConfigMap() != null || volume.getSecret() != null || volume.getDownwardAPI() != null
                || volume.getProjected() != null;
    }

    private MountedVolume setUp(Pod pod, Volume volume, boolean first) {
        String namespace = pod.getMetadata().getNamespace();
        Long fsGroup = pod.getSpec().getSecurityContext() == null ? null : pod.getSpec().getSecurityContext().getFsGroup();
        if (volume.getHostPath() != null) {
            HostPaths.check(volume.getHostPath().getPath(), volume.getHostPath().getType());
            return new MountedVolume(Path.of(volume.getHostPath().getPath()), false);
        }
        if (PodClaims.claimName(pod, volume) != null) {
            return claims.mount(pod, volume);
        }
        if (volume.getEmptyDir() != null) {
            Path dir = directory(pod, "kubernetes.io~empty-dir", volume.getName());
            if (first) {
                EmptyDirVolumeSource source = volume.getEmptyDir();
                boolean memory = "Memory".equals(source.getMedium());
                prepare(dir, memory, memory ? memorySize(pod, source.getSizeLimit()) : null);
                if (fsGroup != null) {
                    GroupOwnership.apply(dir, fsGroup, false);
                }
            }
            return new MountedVolume(dir, false);
        }
        Map<String, FileProjection> files;
        String plugin;
        if (volume.getConfigMap() != null) {
            var source = volume.getConfigMap();
            plugin = "kubernetes.io~configmap";
            files = payloads.configMap(namespace, source.getName(), source.getItems(), source.getOptional(),
                    source.getDefaultMode());
        } else if (volume.getSecret() != null) {
            var source = volume.getSecret();
            plugin = "kubernetes.io~secret";
            files = payloads.secret(namespace, source.getSecretName(), source.getItems(), source.getOptional(),
                    source.getDefaultMode());
        } else if (volume.getDownwardAPI() != null) {
            plugin = "kubernetes.io~downward-api";
            files = payloads.downwardApi(pod, volume.getDownwardAPI().getItems(), volume.getDownwardAPI().getDefaultMode());
        } else if (volume.getProjected() != null) {
            plugin = "kubernetes.io~projected";
            files = payloads.projected(pod, volume.getName(), volume.getProjected().getSources(),
                    volume.getProjected().getDefaultMode());
        } else {
            throw new VolumeSetupException("unsupported volume type (this node supports emptyDir, hostPath, configMap, "
                    + "secret, downwardAPI, projected and persistentVolumeClaim)");
        }
        Path dir = directory(pod, plugin, volume.getName());
        if (first) {
            // Secrets and tokens never touch the disk, as upstream keeps them on a tmpfs; configMaps may.
            prepare(dir, !plugin.equals("kubernetes.io~configmap"), null);
        }
        if (AtomicWriter.write(dir, files) && fsGroup != null) {
            GroupOwnership.apply(dir, fsGroup, true);
        }
        return new MountedVolume(dir, true);
    }

    private Path directory(Pod pod, String plugin, String name) {
        return root.resolve(pod.getMetadata().getUid()).resolve("volumes").resolve(plugin).resolve(name);
    }

    private static void prepare(Path dir, boolean tmpfs, Long sizeBytes) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (tmpfs && !Mounts.isMountPoint(dir)) {
            Mounts.mountTmpfs(dir, sizeBytes);
        }
    }

    /**
     * A memory-backed emptyDir's size as upstream sets it: its sizeLimit, else the pod's memory limit
     * when every container has one, else the kernel's default (half the node's memory).
     */
    private static Long memorySize(Pod pod, Quantity sizeLimit) {
        if (sizeLimit != null) {
            return Quantity.getAmountInBytes(sizeLimit).longValue();
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Container container : list(pod.getSpec().getContainers())) {
            Quantity limit = container.getResources() == null || container.getResources().getLimits() == null ? null
                    : container.getResources().getLimits().get("memory");
            if (limit == null) {
                return null;
            }
            total = total.add(Quantity.getAmountInBytes(limit));
        }
        return total.signum() > 0 ? total.longValue() : null;
    }

    /** Unmounts and removes everything the pod's volumes left on this node; idempotent. */
    public void tearDown(String podUid) {
        podVolumes.remove(podUid);
        refreshed.remove(podUid);
        tokens.forgetPod(podUid);
        Path podDir = root.resolve(podUid);
        if (!Files.exists(podDir)) {
            return;
        }
        Mounts.unmountAll(podDir);
        try {
            AtomicWriter.deleteTree(podDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + podDir + ": " + e.getMessage(), e);
        }
    }

    /** Pods with a volume directory here that are not in {@code keep} (pod uids): left by an earlier agent. */
    public Set<String> leftOver(Set<String> keep) {
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).filter(uid -> !keep.contains(uid))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
