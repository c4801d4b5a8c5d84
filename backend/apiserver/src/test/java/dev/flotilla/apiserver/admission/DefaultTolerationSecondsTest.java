package dev.flotilla.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class DefaultTolerationSecondsTest {

    @Test
    void addsBothTolerationsFor300Seconds() throws Exception {
        ObjectNode spec = (ObjectNode) Json.mapper().readTree("{\"containers\":[{\"name\":\"c\"}]}");
        DefaultTolerationSeconds.apply(spec);
        assertThat(spec.path("tolerations").toString()).isEqualTo("[{\"key\":\"node.kubernetes.io/not-ready\","
                + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300},"
                + "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                + "\"tolerationSeconds\":300}]");
    }

    @Test
    void keepsWhatThePodAlreadyTolerates() throws Exception {
        ObjectNode spec = (ObjectNode) Json.mapper().readTree("{\"tolerations\":[{\"key\":"
                + "\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                + "\"tolerationSeconds\":2}]}");
        DefaultTolerationSeconds.apply(spec);
        assertThat(spec.path("tolerations")).hasSize(2);
        assertThat(spec.path("tolerations").get(0).path("tolerationSeconds").asLong()).isEqualTo(2);
        assertThat(spec.path("tolerations").get(1).path("key").asText()).isEqualTo("node.kubernetes.io/not-ready");

        ObjectNode everything = (ObjectNode) Json.mapper().readTree("{\"tolerations\":[{\"operator\":\"Exists\"}]}");
        DefaultTolerationSeconds.apply(everything);
        assertThat(everything.path("tolerations")).hasSize(1);
    }
}
