package dev.flotilla.api.version;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The body of {@code GET /version}, shaped like Kubernetes' {@code version.Info} so kubectl and client
 * libraries can read it. {@code gitVersion} is the Kubernetes API level served, with Flotilla's own
 * version as semver build metadata (for example {@code v1.32.0+flotilla.0.1.0}).
 */
public record ServerVersion(
        @JsonProperty("major") String major,
        @JsonProperty("minor") String minor,
        @JsonProperty("gitVersion") String gitVersion,
        @JsonProperty("gitCommit") String gitCommit,
        @JsonProperty("gitTreeState") String gitTreeState,
        @JsonProperty("buildDate") String buildDate,
        @JsonProperty("goVersion") String goVersion,
        @JsonProperty("compiler") String compiler,
        @JsonProperty("platform") String platform) {

    private static final String RESOURCE = "/dev/flotilla/api/version/version.properties";

    /** The version of this build, read from the properties Maven filtered at build time. */
    public static ServerVersion current() {
        Properties props = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the classpath");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromKubernetesVersion(
                props.getProperty("kubernetes.api.version"),
                props.getProperty("flotilla.version"),
                props.getProperty("build.date"));
    }

    static ServerVersion fromKubernetesVersion(String kubernetesVersion, String flotillaVersion, String buildDate) {
        String[] parts = kubernetesVersion.replaceFirst("^v", "").split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a Kubernetes version: " + kubernetesVersion);
        }
        String build = flotillaVersion.replaceAll("[^0-9A-Za-z.-]", "-").replace("-SNAPSHOT", ".dev");
        return new ServerVersion(
                parts[0],
                parts[1],
                kubernetesVersion + "+flotilla." + build,
                "",
                "clean",
                buildDate,
                "java" + Runtime.version().feature(),
                "javac",
                System.getProperty("os.name").toLowerCase() + "/" + goArch(System.getProperty("os.arch")));
    }

    private static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> javaArch;
        };
    }
}
