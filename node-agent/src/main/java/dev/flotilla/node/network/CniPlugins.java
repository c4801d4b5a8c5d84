package dev.flotilla.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs CNI plugins by the CNI exec protocol, as containerd's CRI does: the command and runtime
 * values in {@code CNI_*} environment variables, the network configuration on stdin, the result (or
 * an error) as JSON on stdout. A configuration list runs plugin by plugin: ADD in order, each plugin
 * given the previous one's result as {@code prevResult}; DEL in reverse order. A kubelet that calls CNI
 * itself (instead of leaving it to containerd) uses this class.
 */
public final class CniPlugins {

    private final List<Path> pluginDirs;
    private final Duration timeout;

    /** Plugins are looked up in {@code pluginDirs} in order (CNI_PATH); each call may take {@code timeout}. */
    public CniPlugins(List<Path> pluginDirs, Duration timeout) {
        if (pluginDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one CNI plugin directory is required");
        }
        this.pluginDirs = List.copyOf(pluginDirs);
        this.timeout = timeout;
    }

    /** Attaches the container to the network; returns the last plugin's result (interfaces, ips, routes). */
    public JsonNode add(JsonNode configList, CniRuntime runtime) {
        JsonNode result = null;
        for (JsonNode plugin : plugins(configList)) {
            result = exec("ADD", pluginConfig(configList, plugin, runtime, result), runtime);
        }
        return result;
    }

    /**
     * Detaches the container and frees its addresses; {@code prevResult} is the ADD result when the
     * caller kept it (plugins must cope without). Deleting twice, or what was never added, succeeds.
     */
    public void delete(JsonNode configList, CniRuntime runtime, JsonNode prevResult) {
        List<JsonNode> plugins = new ArrayList<>(plugins(configList));
        Collections.reverse(plugins);
        for (JsonNode plugin : plugins) {
            exec("DEL", pluginConfig(configList, plugin, runtime, prevResult), runtime);
        }
    }

    private static List<JsonNode> plugins(JsonNode configList) {
        JsonNode plugins = configList.path("plugins");
        if (!plugins.isArray() || plugins.isEmpty()) {
            throw new IllegalArgumentException("the CNI configuration list has no plugins");
        }
        List<JsonNode> all = new ArrayList<>();
        plugins.forEach(all::add);
        return all;
    }

    /** One plugin's network configuration: its conf plus the list's name and version, prevResult and runtimeConfig. */
    static ObjectNode pluginConfig(JsonNode configList, JsonNode plugin, CniRuntime runtime, JsonNode prevResult) {
        ObjectNode config = plugin.deepCopy();
        config.put("cniVersion", configList.path("cniVersion").asText());
        config.put("name", configList.path("name").asText());
        if (prevResult != null) {
            config.set("prevResult", prevResult);
        }
        ObjectNode runtimeConfig = Json.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = plugin.path("capabilities").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> capability = it.next();
            Object value = runtime.capabilityArgs().get(capability.getKey());
            if (capability.getValue().asBoolean() && value != null) {
                runtimeConfig.set(capability.getKey(), Json.mapper().valueToTree(value));
            }
        }
        if (!runtimeConfig.isEmpty()) {
            config.set("runtimeConfig", runtimeConfig);
        }
        return config;
    }

    private JsonNode exec(String command, ObjectNode config, CniRuntime runtime) {
        String type = config.path("type").asText();
        Path binary = find(type).orElseThrow(() -> new CniException(type, -1,
                "plugin \"" + type + "\" not found in " + cniPath(), null));
        ProcessBuilder builder = new ProcessBuilder(binary.toString());
        Map<String, String> env = builder.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", runtime.containerId());
        env.put("CNI_NETNS", runtime.netns().toString());
        env.put("CNI_IFNAME", runtime.ifName());
        env.put("CNI_PATH", cniPath());
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> stdout = read(process.getInputStream());
            CompletableFuture<byte[]> stderr = read(process.getErrorStream());
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(Json.mapper().writeValueAsBytes(config));
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CniException(type, -1, command + " timed out after " + timeout, null);
            }
            String out = new String(stdout.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw failure(type, command, process.exitValue(), out,
                        new String(stderr.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim());
            }
            return out.isEmpty() ? null : Json.mapper().readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run CNI plugin " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(type, -1, command + " interrupted", null);
        } catch (ExecutionException | TimeoutException e) {
            throw new CniException(type, -1, "cannot read the output of " + command, e.toString());
        }
    }

    private static CniException failure(String type, String command, int exit, String stdout, String stderr) {
        try {
            JsonNode error = stdout.isEmpty() ? null : Json.mapper().readTree(stdout);
            if (error != null && error.hasNonNull("msg")) {
                return new CniException(type, error.path("code").asInt(-1), error.path("msg").asText(),
                        error.path("details").asText(""));
            }
        } catch (IOException notJson) {
            // fall through to the raw output
        }
        return new CniException(type, -1, command + " exited with " + exit, (stdout + " " + stderr).trim());
    }

    private static CompletableFuture<byte[]> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private Optional<Path> find(String type) {
        if (type.isEmpty() || type.contains("/") || type.startsWith(".")) {
            return Optional.empty();
        }
        return pluginDirs.stream().map(dir -> dir.resolve(type)).filter(Files::isExecutable).findFirst();
    }

    private String cniPath() {
        return pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    /** The interface addresses of a CNI result ({@code 10.244.0.5/16}), in the result's order. */
    public static List<String> addresses(JsonNode result) {
        List<String> addresses = new ArrayList<>();
        if (result != null && result.path("ips") instanceof ArrayNode ips) {
            ips.forEach(ip -> addresses.add(ip.path("address").asText()));
        }
        return addresses;
    }
}
