package dev.flotilla.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import org.junit.jupiter.api.Test;

class ProxyTargetsTest {

    @Test
    void theOnlyContainerIsTheDefault() {
        assertThat(ProxyTargets.container(pod("{\"containers\":[{\"name\":\"app\"}]}"), null)).isEqualTo("app");
        assertThat(ProxyTargets.container(pod("{\"containers\":[{\"name\":\"app\"}]}"), "")).isEqualTo("app");
    }

    @Test
    void severalContainersNeedANameAndTheMessageListsThemAll() {
        ObjectNode pod = pod("{\"initContainers\":[{\"name\":\"init\"}],\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
        assertThatThrownBy(() -> ProxyTargets.container(pod, null))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("a container name must be specified for pod web, choose one of: [init a b]");
                });
        assertThat(ProxyTargets.container(pod, "init")).isEqualTo("init");
        assertThatThrownBy(() -> ProxyTargets.container(pod, "c"))
                .hasMessage("container c is not valid for pod web");
    }

    private static ObjectNode pod(String spec) {
        try {
            return (ObjectNode) Json.mapper().readTree("{\"metadata\":{\"name\":\"web\"},\"spec\":" + spec + "}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
