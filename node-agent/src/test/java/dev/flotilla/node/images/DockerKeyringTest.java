package dev.flotilla.node.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerKeyringTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Secret secret(String name, String type, String key, String json) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withType(type).withData(Map.of(key, b64(json))).build();
    }

    private static Secret configJson(String name, String auths) {
        return secret(name, DockerKeyring.DOCKER_CONFIG_JSON, ".dockerconfigjson", "{\"auths\":" + auths + "}");
    }

    private static List<String> users(DockerKeyring keyring, String repository) {
        return keyring.lookup(repository).stream().map(DockerKeyring.Credential::username).toList();
    }

    @Test
    void authFieldIsTheLoginAndUsernamePasswordWorkToo() {
        DockerKeyring keyring = DockerKeyring.of(List.of(configJson("a",
                "{\"127.0.0.1:5000\":{\"auth\":\"" + b64("alice:s3cr:et") + "\"},"
                        + "\"registry.example.com\":{\"username\":\"bob\",\"password\":\"pw\",\"identitytoken\":\"tok\"}}")));
        DockerKeyring.Credential alice = keyring.lookup("127.0.0.1:5000/private/app").get(0);
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.password()).isEqualTo("s3cr:et");
        DockerKeyring.Credential bob = keyring.lookup("registry.example.com/team/app").get(0);
        assertThat(bob.password()).isEqualTo("pw");
        assertThat(bob.identityToken()).isEqualTo("tok");
    }

    @Test
    void portMustMatchAndHostPartsAreGlobs() {
        DockerKeyring keyring = DockerKeyring.of(List.of(configJson("a",
                "{\"127.0.0.1:5000\":{\"username\":\"five\",\"password\":\"x\"},"
                        + "\"*.example.com\":{\"username\":\"wild\",\"password\":\"x\"}}")));
        assertThat(users(keyring, "127.0.0.1:5001/app")).isEmpty();
        assertThat(users(keyring, "127.0.0.1/app")).isEmpty();
        assertThat(users(keyring, "eu.example.com/app")).containsExactly("wild");
        assertThat(users(keyring, "a.eu.example.com/app")).isEmpty();
        assertThat(users(keyring, "example.com/app")).isEmpty();
    }

    @Test
    void mostSpecificPathFirstAndSchemesAndApiVersionsDropped() {
        DockerKeyring keyring = DockerKeyring.of(List.of(configJson("a",
                "{\"https://quay.io/v2/\":{\"username\":\"host\",\"password\":\"x\"},"
                        + "\"quay.io/coreos\":{\"username\":\"path\",\"password\":\"x\"}}")));
        assertThat(users(keyring, "quay.io/coreos/etcd")).containsExactly("path", "host");
        assertThat(users(keyring, "quay.io/other/app")).containsExactly("host");
    }

    @Test
    void dockerHubAliases() {
        DockerKeyring legacy = DockerKeyring.of(List.of(secret("old", DockerKeyring.DOCKER_CFG, ".dockercfg",
                "{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:pw") + "\",\"email\":\"a@b\"}}")));
        assertThat(users(legacy, "docker.io/library/busybox")).containsExactly("hub");
        assertThat(users(legacy, "docker.io/someone/app")).containsExactly("hub");
        assertThat(users(legacy, "quay.io/someone/app")).isEmpty();
        DockerKeyring modern = DockerKeyring.of(List.of(configJson("new", "{\"docker.io\":{\"username\":\"dio\",\"password\":\"x\"}}")));
        assertThat(users(modern, "docker.io/library/busybox")).containsExactly("dio");
    }

    @Test
    void otherTypesAndMissingKeysAreIgnored() {
        Secret opaque = secret("o", "Opaque", ".dockerconfigjson", "{\"auths\":{\"r.io\":{\"username\":\"u\"}}}");
        Secret wrongKey = secret("w", DockerKeyring.DOCKER_CONFIG_JSON, ".dockercfg", "{\"r.io\":{\"username\":\"u\"}}");
        assertThat(DockerKeyring.of(List.of(opaque, wrongKey)).lookup("r.io/app")).isEmpty();
    }

    @Test
    void badPayloadsNameTheSecret() {
        assertThatThrownBy(() -> DockerKeyring.of(List.of(secret("bad", DockerKeyring.DOCKER_CONFIG_JSON,
                ".dockerconfigjson", "not json"))))
                .hasMessageStartingWith("image pull secret ns/bad: .dockerconfigjson is not a Docker configuration");
        assertThatThrownBy(() -> DockerKeyring.of(List.of(configJson("noColon", "{\"r.io\":{\"auth\":\"" + b64("justuser") + "\"}}"))))
                .hasMessage("image pull secret ns/noColon: unable to parse auth field, must be formatted as base64(username:password)");
    }
}
