package dev.flotilla.node.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** An image archive to push: an OCI layout tar (oci-layout + index.json) or a docker save tar (manifest.json). */
record ImageArchive(String source, Optional<String> name) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ImageArchive inspect(Path file) {
        List<String> entries = ImageTools.output(List.of("tar", "-tf", file.toString())).lines()
                .map(e -> e.startsWith("./") ? e.substring(2) : e).toList();
        if (entries.contains("oci-layout") && entries.contains("index.json")) {
            JsonNode manifests = json(file, "index.json").path("manifests");
            requireOne(file, manifests.size());
            JsonNode annotations = manifests.get(0).path("annotations");
            String name = annotations.path("io.containerd.image.name").asText(null);
            String refName = annotations.path("org.opencontainers.image.ref.name").asText(null);
            if (name == null && refName != null && (refName.contains("/") || refName.contains(":"))) {
                name = refName;
            }
            return new ImageArchive("oci-archive:" + file, Optional.ofNullable(name));
        }
        if (entries.contains("manifest.json")) {
            JsonNode manifest = json(file, "manifest.json");
            requireOne(file, manifest.size());
            JsonNode tags = manifest.get(0).path("RepoTags");
            return new ImageArchive("docker-archive:" + file,
                    tags.isArray() && !tags.isEmpty() ? Optional.of(tags.get(0).asText()) : Optional.empty());
        }
        throw new IllegalStateException(file + " is neither an OCI image archive (oci-layout, index.json) nor a docker "
                + "archive (manifest.json); make one with `docker save IMAGE -o FILE.tar` or "
                + "`skopeo copy … oci-archive:FILE.tar`");
    }

    private static void requireOne(Path file, int images) {
        if (images != 1) {
            throw new IllegalStateException(file + " holds " + images + " images; push an archive of exactly one");
        }
    }

    private static JsonNode json(Path file, String entry) {
        String text;
        try {
            text = ImageTools.output(List.of("tar", "-xOf", file.toString(), entry));
        } catch (IllegalStateException e) {
            text = ImageTools.output(List.of("tar", "-xOf", file.toString(), "./" + entry));
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + entry + " is not JSON", e);
        }
    }
}
