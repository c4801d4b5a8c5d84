package dev.flotilla.node.downward;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fieldRef} values of the downward API, for environment variables and downwardAPI volume
 * files: the pod's name, namespace, uid, one label or annotation, all of them (volumes only, as
 * upstream formats them), service account, node and addresses.
 */
public final class PodFieldValues {

    private static final Pattern ONE_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

    private PodFieldValues() {
    }

    /** The field's value; null for a field path the downward API does not offer. */
    public static String value(Pod pod, String fieldPath, String nodeName, String hostIp, String podIp) {
        Matcher oneKey = ONE_KEY.matcher(fieldPath);
        if (oneKey.matches()) {
            Map<String, String> values = map(pod, oneKey.group(1));
            return values == null ? "" : values.getOrDefault(oneKey.group(2), "");
        }
        return switch (fieldPath) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "metadata.labels", "metadata.annotations" -> format(map(pod, fieldPath.substring("metadata.".length())));
            case "spec.nodeName" -> nodeName;
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.hostIP", "status.hostIPs" -> hostIp;
            case "status.podIP", "status.podIPs" -> podIp;
            default -> null;
        };
    }

    private static Map<String, String> map(Pod pod, String which) {
        return which.equals("labels") ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
    }

    /** {@code key="value"} lines sorted by key, values quoted as Go's %q does, as upstream writes them. */
    static String format(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(values).forEach((key, value) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(key).append('=').append(quote(value));
        });
        return out.toString();
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
