package dev.flotilla.scheduler.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a kube-scheduler configuration file ({@code --config}): YAML or JSON of
 * {@code apiVersion: kubescheduler.config.k8s.io/v1}, {@code kind: KubeSchedulerConfiguration},
 * decoded strictly, defaulted and validated as upstream does.
 */
public final class SchedulerConfigurationFile {

    private SchedulerConfigurationFile() {
    }

    public static SchedulerConfiguration read(Path file) throws InvalidSchedulerConfigurationException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidSchedulerConfigurationException("failed to read scheduler configuration file \"" + file
                    + "\": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (InvalidSchedulerConfigurationException e) {
            throw new InvalidSchedulerConfigurationException("invalid scheduler configuration " + file + ": " + e.getMessage(), e);
        }
    }

    public static SchedulerConfiguration parse(String text) throws InvalidSchedulerConfigurationException {
        JsonNode tree;
        try {
            tree = StrictDecoder.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSchedulerConfigurationException("couldn't decode as KubeSchedulerConfiguration: "
                    + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidSchedulerConfigurationException("Object 'Kind' is missing in the configuration");
        }
        String kind = tree.path("kind").asText("");
        String apiVersion = tree.path("apiVersion").asText("");
        if (kind.isEmpty()) {
            throw new InvalidSchedulerConfigurationException("Object 'Kind' is missing in the configuration");
        }
        if (!KubeSchedulerConfiguration.KIND.equals(kind) || !KubeSchedulerConfiguration.API_VERSION.equals(apiVersion)) {
            throw new InvalidSchedulerConfigurationException("no kind \"" + kind + "\" is registered for version \""
                    + apiVersion + "\" (only " + KubeSchedulerConfiguration.API_VERSION + " "
                    + KubeSchedulerConfiguration.KIND + " is)");
        }
        try {
            return ConfigurationResolver.resolve(StrictDecoder.decode(tree, KubeSchedulerConfiguration.class, ""));
        } catch (StrictDecoder.DecodingException e) {
            throw new InvalidSchedulerConfigurationException(e.getMessage(), e);
        }
    }
}
