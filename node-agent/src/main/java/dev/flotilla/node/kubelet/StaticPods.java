package dev.flotilla.node.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static pods: one Pod manifest per file (YAML or JSON) in the kubelet's manifest folder, run by this
 * node without the API server, as upstream's file source does. Each is named {@code <name>-<node>},
 * bound to this node, and gets a UID derived from the file's content and the node (so it survives
 * agent restarts and changes when the manifest does), recorded in the {@code kubernetes.io/config.hash}
 * annotation with {@code kubernetes.io/config.source: file}. A file that does not hold a Pod is logged
 * once per content and skipped.
 */
final class StaticPods {

    static final String CONFIG_HASH = "kubernetes.io/config.hash";
    static final String CONFIG_SOURCE = "kubernetes.io/config.source";
    static final String CONFIG_MIRROR = "kubernetes.io/config.mirror";

    private static final Logger LOG = LoggerFactory.getLogger(StaticPods.class);
    private static final ObjectMapper YAML = new YAMLMapper();

    private final Path folder;
    private final String nodeName;
    private final Map<String, String> reported = new HashMap<>();

    StaticPods(Path folder, String nodeName) {
        this.folder = folder;
        this.nodeName = nodeName;
    }

    Path folder() {
        return folder;
    }

    /** The static pods the folder holds now, by UID. */
    Map<String, Pod> read() {
        Map<String, Pod> pods = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            return pods;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(StaticPods::isManifest).sorted().forEach(file -> parse(file).ifPresent(pod -> {
                Pod other = pods.putIfAbsent(pod.getMetadata().getUid(), pod);
                if (other != null) {
                    report(file, "the same pod as another manifest");
                }
            }));
        } catch (IOException e) {
            LOG.warn("cannot read the static pod folder {}: {}", folder, e.getMessage());
        }
        return pods;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && Files.isRegularFile(file)
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private java.util.Optional<Pod> parse(Path file) {
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            report(file, e.getMessage());
            return java.util.Optional.empty();
        }
        Pod pod;
        try {
            pod = YAML.convertValue(YAML.readTree(content), Pod.class);
        } catch (IOException | IllegalArgumentException e) {
            report(file, "not a Pod manifest: " + e.getMessage());
            return java.util.Optional.empty();
        }
        if (pod == null || !"Pod".equals(pod.getKind()) || pod.getMetadata() == null
                || pod.getMetadata().getName() == null || pod.getSpec() == null || pod.getSpec().getContainers() == null
                || pod.getSpec().getContainers().isEmpty()) {
            report(file, "a static pod manifest needs kind Pod, metadata.name and at least one container");
            return java.util.Optional.empty();
        }
        String uid = hash(content + "\n" + nodeName);
        pod.getMetadata().setName(pod.getMetadata().getName() + "-" + nodeName);
        if (pod.getMetadata().getNamespace() == null) {
            pod.getMetadata().setNamespace("default");
        }
        pod.getMetadata().setUid(uid);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (pod.getMetadata().getAnnotations() != null) {
            annotations.putAll(pod.getMetadata().getAnnotations());
        }
        annotations.put(CONFIG_HASH, uid);
        annotations.put(CONFIG_SOURCE, "file");
        pod.getMetadata().setAnnotations(annotations);
        pod.getSpec().setNodeName(nodeName);
        if (pod.getSpec().getRestartPolicy() == null) {
            pod.getSpec().setRestartPolicy("Always");
        }
        if (pod.getSpec().getTerminationGracePeriodSeconds() == null) {
            pod.getSpec().setTerminationGracePeriodSeconds(30L);
        }
        pod.getSpec().getContainers().forEach(c -> {
            if (c.getImagePullPolicy() == null) {
                c.setImagePullPolicy(c.getImage() != null && c.getImage().endsWith(":latest")
                        || c.getImage() != null && !c.getImage().contains(":") ? "Always" : "IfNotPresent");
            }
        });
        pod.setStatus(null);
        return java.util.Optional.of(pod);
    }

    private void report(Path file, String problem) {
        if (!problem.equals(reported.put(file.toString(), problem))) {
            LOG.warn("static pod manifest {} skipped: {}", file, problem);
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
