package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.ContainerConfig;
import dev.flotilla.node.cri.v1.ContainerMetadata;
import dev.flotilla.node.cri.v1.ImageSpec;
import dev.flotilla.node.cri.v1.KeyValue;
import dev.flotilla.node.cri.v1.LinuxContainerConfig;
import dev.flotilla.node.cri.v1.LinuxContainerResources;
import dev.flotilla.node.downward.PodFieldValues;
import dev.flotilla.node.downward.ResourceFieldValues;
import dev.flotilla.node.volumes.ContainerMounts;
import dev.flotilla.node.volumes.PodVolumes;
import dev.flotilla.node.volumes.VolumeSetupException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod container's CRI configuration: command and args with {@code $(VAR)} expansion, env (values
 * and the pod's own fields), working directory, volume mounts, log path, identity labels, and resources mapped to
 * cgroup settings as the kubelet does (cpu request → shares, cpu limit → CFS quota, memory limit).
 */
final class ContainerConfigs {

    static final long CFS_PERIOD_US = 100_000;
    private static final long MIN_SHARES = 2;
    private static final long MIN_QUOTA_US = 1_000;

    private final String nodeName;
    private final String hostIp;
    private final EnvSources sources;
    private final PodVolumes volumes;
    private final SecurityContexts security;

    ContainerConfigs(String nodeName, String hostIp, EnvSources sources, PodVolumes volumes, SecurityContexts security) {
        this.nodeName = nodeName;
        this.hostIp = hostIp;
        this.sources = sources;
        this.volumes = volumes;
        this.security = security;
    }

    /** {@code <container>/<attempt>.log}, relative to the sandbox's log directory. */
    static String logPath(String container, int attempt) {
        return container + "/" + attempt + ".log";
    }

    ContainerConfig config(Pod pod, Container container, int attempt, String podIp) {
        Map<String, String> env = environment(pod, container, podIp);
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(container.getName()).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(container.getImage()))
                .setLogPath(logPath(container.getName(), attempt))
                .putLabels(PodLabels.POD_UID, pod.getMetadata().getUid())
                .putLabels(PodLabels.POD_NAME, pod.getMetadata().getName())
                .putLabels(PodLabels.POD_NAMESPACE, pod.getMetadata().getNamespace())
                .putLabels(PodLabels.CONTAINER_NAME, container.getName())
                .setStdin(Boolean.TRUE.equals(container.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(container.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(container.getTty()))
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(resources(container.getResources()))
                        .setSecurityContext(security.of(pod, container)));
        expandAll(container.getCommand(), env).forEach(config::addCommand);
        expandAll(container.getArgs(), env).forEach(config::addArgs);
        if (container.getWorkingDir() != null) {
            config.setWorkingDir(container.getWorkingDir());
        }
        env.forEach((name, value) -> config.addEnvs(KeyValue.newBuilder().setKey(name).setValue(value)));
        try {
            config.addAllMounts(ContainerMounts.of(container, volumes.volumes(pod.getMetadata().getUid()),
                    value -> EnvExpansion.expand(value, env)));
        } catch (VolumeSetupException e) {
            throw new ContainerConfigException(e.getMessage());
        }
        return config.build();
    }

    /**
     * The container's variables: service variables, then {@code envFrom} sources, then {@code env} in
     * declaration order (each overriding the ones before), each value expanded against those before it,
     * as upstream's kubelet does.
     */
    Map<String, String> environment(Pod pod, Container container, String podIp) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>(sources.serviceVariables(namespace,
                !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())));
        for (EnvFromSource source : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
            env.putAll(sources.all(namespace, source));
        }
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String value = var.getValueFrom() != null ? sourceValue(pod, container, var, podIp)
                    : EnvExpansion.expand(var.getValue() == null ? "" : var.getValue(), env);
            if (value != null) {
                env.put(var.getName(), value);
            }
        }
        return env;
    }

    private String sourceValue(Pod pod, Container container, EnvVar var, String podIp) {
        var from = var.getValueFrom();
        String namespace = pod.getMetadata().getNamespace();
        if (from.getConfigMapKeyRef() != null) {
            return sources.configMapKey(namespace, from.getConfigMapKeyRef()).orElse(null);
        }
        if (from.getSecretKeyRef() != null) {
            return sources.secretKey(namespace, from.getSecretKeyRef()).orElse(null);
        }
        if (from.getResourceFieldRef() != null) {
            return ResourceFieldValues.value(container, from.getResourceFieldRef());
        }
        return from.getFieldRef() == null ? null : fieldValue(pod, from.getFieldRef().getFieldPath(), podIp);
    }

    private String fieldValue(Pod pod, String fieldPath, String podIp) {
        return PodFieldValues.value(pod, fieldPath, nodeName, hostIp, podIp);
    }

    private static List<String> expandAll(List<String> values, Map<String, String> env) {
        return values == null ? List.of() : values.stream().map(v -> EnvExpansion.expand(v, env)).toList();
    }

    static LinuxContainerResources resources(ResourceRequirements requirements) {
        LinuxContainerResources.Builder resources = LinuxContainerResources.newBuilder();
        Map<String, Quantity> requests = requirements == null || requirements.getRequests() == null ? Map.of()
                : requirements.getRequests();
        Map<String, Quantity> limits = requirements == null || requirements.getLimits() == null ? Map.of()
                : requirements.getLimits();
        Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
        long shares = cpuRequest == null ? MIN_SHARES : Math.max(MIN_SHARES, milli(cpuRequest) * 1024 / 1000);
        resources.setCpuShares(shares);
        if (limits.containsKey("cpu")) {
            resources.setCpuPeriod(CFS_PERIOD_US)
                    .setCpuQuota(Math.max(MIN_QUOTA_US, milli(limits.get("cpu")) * CFS_PERIOD_US / 1000));
        }
        if (limits.containsKey("memory")) {
            resources.setMemoryLimitInBytes(Quantity.getAmountInBytes(limits.get("memory")).longValue());
        }
        return resources.build();
    }

    private static long milli(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).multiply(BigDecimal.valueOf(1000)).longValue();
    }
}
