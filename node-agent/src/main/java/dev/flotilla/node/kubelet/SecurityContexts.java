package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.Capability;
import dev.flotilla.node.cri.v1.Image;
import dev.flotilla.node.cri.v1.Int64Value;
import dev.flotilla.node.cri.v1.LinuxContainerSecurityContext;
import dev.flotilla.node.cri.v1.SecurityProfile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A container's Linux security settings as upstream's kubelet derives them from the pod's and the
 * container's securityContext: user, group and supplemental groups, privileged, capabilities,
 * {@code allowPrivilegeEscalation: false} as no_new_privs, seccomp (RuntimeDefault, Localhost,
 * Unconfined when unset), read-only root filesystem, the masked and read-only /proc and /sys paths of
 * the default procMount, and the {@code runAsNonRoot} check against the image's user.
 */
final class SecurityContexts {

    /** Upstream's defaults for procMount Default: hidden from containers, and not writable. */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** The image's user as the runtime reports it (uid, else name, else root). */
    private final Function<String, Optional<Image>> images;

    SecurityContexts(Function<String, Optional<Image>> images) {
        this.images = images;
    }

    LinuxContainerSecurityContext of(Pod pod, Container container) {
        SecurityContext context = container.getSecurityContext();
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        LinuxContainerSecurityContext.Builder security = LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(SandboxConfigs.namespaces(pod.getSpec()));
        Long user = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
                : podContext != null ? podContext.getRunAsUser() : null;
        Long group = context != null && context.getRunAsGroup() != null ? context.getRunAsGroup()
                : podContext != null ? podContext.getRunAsGroup() : null;
        verifyRunAsNonRoot(pod, container, user);
        if (user != null) {
            security.setRunAsUser(Int64Value.newBuilder().setValue(user));
        }
        if (group != null) {
            security.setRunAsGroup(Int64Value.newBuilder().setValue(group));
        }
        if (podContext != null) {
            if (podContext.getFsGroup() != null) {
                security.addSupplementalGroups(podContext.getFsGroup());
            }
            if (podContext.getSupplementalGroups() != null) {
                security.addAllSupplementalGroups(podContext.getSupplementalGroups());
            }
        }
        boolean privileged = context != null && Boolean.TRUE.equals(context.getPrivileged());
        security.setPrivileged(privileged);
        if (context != null) {
            security.setReadonlyRootfs(Boolean.TRUE.equals(context.getReadOnlyRootFilesystem()))
                    .setNoNewPrivs(Boolean.FALSE.equals(context.getAllowPrivilegeEscalation()));
            if (context.getCapabilities() != null) {
                security.setCapabilities(Capability.newBuilder()
                        .addAllAddCapabilities(list(context.getCapabilities().getAdd()))
                        .addAllDropCapabilities(list(context.getCapabilities().getDrop())));
            }
        }
        boolean unmasked = context != null && "Unmasked".equals(context.getProcMount());
        if (!privileged && !unmasked) {
            security.addAllMaskedPaths(MASKED_PATHS).addAllReadonlyPaths(READONLY_PATHS);
        }
        SeccompProfile seccomp = context != null && context.getSeccompProfile() != null ? context.getSeccompProfile()
                : podContext != null ? podContext.getSeccompProfile() : null;
        security.setSeccomp(seccomp(seccomp, privileged));
        return security.build();
    }

    private static SecurityProfile seccomp(SeccompProfile profile, boolean privileged) {
        if (privileged || profile == null || "Unconfined".equals(profile.getType())) {
            return SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined).build();
        }
        if ("Localhost".equals(profile.getType())) {
            return SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost)
                    .setLocalhostRef(profile.getLocalhostProfile() == null ? "" : profile.getLocalhostProfile()).build();
        }
        return SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault).build();
    }

    /** Upstream's check, with its messages: a non-root policy needs a non-zero uid, from the pod or the image. */
    private void verifyRunAsNonRoot(Pod pod, Container container, Long runAsUser) {
        SecurityContext context = container.getSecurityContext();
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        Boolean nonRoot = context != null && context.getRunAsNonRoot() != null ? context.getRunAsNonRoot()
                : podContext != null ? podContext.getRunAsNonRoot() : null;
        if (!Boolean.TRUE.equals(nonRoot)) {
            return;
        }
        String which = "(pod: \"" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")\", container: " + container.getName() + ")";
        if (runAsUser != null) {
            if (runAsUser == 0) {
                throw new ContainerConfigException("container's runAsUser breaks non-root policy " + which);
            }
            return;
        }
        Optional<Image> image = images.apply(container.getImage());
        if (image.isPresent() && image.get().hasUid()) {
            if (image.get().getUid().getValue() == 0) {
                throw new ContainerConfigException("container has runAsNonRoot and image will run as root " + which);
            }
            return;
        }
        if (image.isPresent() && !image.get().getUsername().isEmpty()) {
            throw new ContainerConfigException("container has runAsNonRoot and image has non-numeric user ("
                    + image.get().getUsername() + "), cannot verify user is non-root " + which);
        }
        throw new ContainerConfigException("container has runAsNonRoot and image will run as root " + which);
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
