package dev.flotilla.apiserver.resource;

import java.util.Optional;

/**
 * Reads an Accept header for the aggregated discovery media type
 * ({@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}). The first acceptable
 * entry wins, as clients list their preference first; a plain {@code application/json} earlier in the
 * list selects the legacy documents.
 */
final class DiscoveryMediaType {

    static final String GROUP = "apidiscovery.k8s.io";

    private DiscoveryMediaType() {
    }

    /** The apidiscovery version asked for (v2 or v2beta1), or empty for the legacy documents. */
    static Optional<String> requestedVersion(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String entry : accept.split(",")) {
            String[] parts = entry.trim().split(";");
            String type = parts[0].trim();
            String group = null;
            String version = null;
            String as = null;
            for (int i = 1; i < parts.length; i++) {
                String[] pair = parts[i].trim().split("=", 2);
                if (pair.length == 2) {
                    switch (pair[0].trim()) {
                        case "g" -> group = pair[1].trim();
                        case "v" -> version = pair[1].trim();
                        case "as" -> as = pair[1].trim();
                        default -> { }
                    }
                }
            }
            boolean json = type.equals("application/json") || type.equals("*/*") || type.equals("application/*");
            if (json && group == null && as == null) {
                return Optional.empty();
            }
            if (type.equals("application/json") && GROUP.equals(group) && "APIGroupDiscoveryList".equals(as)
                    && ("v2".equals(version) || "v2beta1".equals(version))) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    static String contentType(String version) {
        return "application/json;g=" + GROUP + ";v=" + version + ";as=APIGroupDiscoveryList";
    }
}
