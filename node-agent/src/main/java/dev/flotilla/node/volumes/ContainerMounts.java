package dev.flotilla.node.volumes;

import dev.flotilla.node.cri.v1.Mount;
import dev.flotilla.node.cri.v1.MountPropagation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A container's {@code volumeMounts} as CRI mounts: the volume's host path (or a {@code subPath} /
 * expanded {@code subPathExpr} inside it, created when missing and never outside the volume),
 * read-only when the mount or the volume says so, and the mount propagation.
 */
public final class ContainerMounts {

    private ContainerMounts() {
    }

    /** {@code expand} expands {@code $(VAR)} in a subPathExpr with the container's environment. */
    public static List<Mount> of(Container container, Map<String, PodVolumes.MountedVolume> volumes,
                                 UnaryOperator<String> expand) {
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
            PodVolumes.MountedVolume volume = volumes.get(mount.getName());
            if (volume == null) {
                throw new VolumeSetupException("cannot find volume \"" + mount.getName() + "\" to mount into container \""
                        + container.getName() + "\"");
            }
            String subPath = mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()
                    ? expand.apply(mount.getSubPathExpr()) : mount.getSubPath();
            Path host = subPath == null || subPath.isEmpty() ? volume.path() : subPath(volume.path(), subPath);
            mounts.add(Mount.newBuilder()
                    .setContainerPath(mount.getMountPath())
                    .setHostPath(host.toString())
                    .setReadonly(volume.readOnly() || Boolean.TRUE.equals(mount.getReadOnly()))
                    .setPropagation(propagation(mount.getMountPropagation()))
                    .build());
        }
        return mounts;
    }

    /** The real path of {@code subPath} in the volume: symlinks resolved, required to stay inside it. */
    static Path subPath(Path volume, String subPath) {
        if (subPath.startsWith("/") || Path.of(subPath).normalize().startsWith("..")
                || List.of(subPath.split("/")).contains("..")) {
            throw new VolumeSetupException("invalid subpath \"" + subPath + "\": must be a relative path without '..'");
        }
        try {
            Path candidate = volume.resolve(subPath);
            if (!Files.exists(candidate)) {
                Files.createDirectories(candidate);
            }
            Path real = candidate.toRealPath();
            Path root = volume.toRealPath();
            if (!real.startsWith(root)) {
                throw new VolumeSetupException("subpath \"" + real + "\" not within volume path \"" + root + "\"");
            }
            return real;
        } catch (IOException e) {
            throw new VolumeSetupException("cannot prepare subpath \"" + subPath + "\": " + e.getMessage(), e);
        }
    }

    private static MountPropagation propagation(String mode) {
        if (mode == null) {
            return MountPropagation.PROPAGATION_PRIVATE;
        }
        return switch (mode) {
            case "HostToContainer" -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
            case "Bidirectional" -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
            default -> MountPropagation.PROPAGATION_PRIVATE;
        };
    }
}
