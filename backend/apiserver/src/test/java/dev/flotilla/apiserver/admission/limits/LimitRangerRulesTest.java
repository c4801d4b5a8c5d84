package dev.flotilla.apiserver.admission.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class LimitRangerRulesTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text.replace('\'', '"'));
    }

    private static ObjectNode range(String limits) throws Exception {
        return json("{'spec':{'limits':[" + limits + "]}}");
    }

    @Test
    void defaultsMissingRequestsAndLimitsAndAnnotatesThePod() throws Exception {
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},"
                + "{'name':'b','resources':{'requests':{'cpu':'50m'}}}],'initContainers':[{'name':'i'}]}}");
        ContainerDefaults.apply(pod, range("{'type':'Container','default':{'cpu':'500m','memory':'256Mi'},"
                + "'defaultRequest':{'cpu':'100m','memory':'128Mi'}}"));

        assertThat(pod.at("/spec/containers/0/resources").toString())
                .isEqualTo("{'requests':{'cpu':'100m','memory':'128Mi'},'limits':{'cpu':'500m','memory':'256Mi'}}"
                        .replace('\'', '"'));
        assertThat(pod.at("/spec/containers/1/resources/requests/cpu").asText()).isEqualTo("50m");
        assertThat(pod.at("/metadata/annotations/kubernetes.io~1limit-ranger").asText()).isEqualTo(
                "LimitRanger plugin set: cpu, memory request for container a; cpu, memory limit for container a; "
                        + "memory request for container b; cpu, memory limit for container b; "
                        + "cpu, memory request for init container i; cpu, memory limit for init container i");
    }

    @Test
    void defaultRequestComesFromTheDefaultLimitOrMinAndAStatedLimitIsTheRequest() throws Exception {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a'},{'name':'b','resources':{'limits':{'cpu':'2'}}}]}}");
        ContainerDefaults.apply(pod, range("{'type':'Container','max':{'cpu':'4'},'min':{'memory':'64Mi'}}"));

        assertThat(pod.at("/spec/containers/0/resources/limits/cpu").asText()).isEqualTo("4");
        assertThat(pod.at("/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("4");
        assertThat(pod.at("/spec/containers/0/resources/requests/memory").asText()).isEqualTo("64Mi");
        assertThat(pod.at("/spec/containers/1/resources/requests/cpu").asText()).isEqualTo("2");
    }

    @Test
    void noDefaultsLeaveThePodAlone() throws Exception {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a'}]}}");
        ContainerDefaults.apply(pod, range("{'type':'PersistentVolumeClaim','max':{'storage':'1Gi'}}"));
        assertThat(pod.toString()).isEqualTo("{'spec':{'containers':[{'name':'a'}]}}".replace('\'', '"'));
    }

    @Test
    void containerMinMaxAndRatioAreWordedAsUpstream() throws Exception {
        ObjectNode limits = range("{'type':'Container','max':{'cpu':'500m'},'min':{'memory':'64Mi'},"
                + "'maxLimitRequestRatio':{'cpu':'2'}}");
        ObjectNode pod = json("{'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'250m','memory':'32Mi'},"
                + "'limits':{'cpu':'1'}}}]}}");

        assertThat(LimitChecks.pod(pod, limits)).containsExactly(
                "minimum memory usage per Container is 64Mi, but request is 32Mi",
                "maximum cpu usage per Container is 500m, but limit is 1",
                "cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000");

        ObjectNode bare = json("{'spec':{'containers':[{'name':'c'}]}}");
        assertThat(LimitChecks.pod(bare, limits)).containsExactly(
                "minimum memory usage per Container is 64Mi.  No request is specified",
                "maximum cpu usage per Container is 500m.  No limit is specified",
                "cpu max limit to request ratio per Container is 2, but no request is specified or request is 0");

        ObjectNode fits = json("{'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'0.25','memory':'64Mi'},"
                + "'limits':{'cpu':'500m'}}}]}}");
        assertThat(LimitChecks.pod(fits, limits)).isEmpty();
    }

    @Test
    void podItemsCheckTheSumOfContainersAndTheLargestInitContainer() throws Exception {
        ObjectNode limits = range("{'type':'Pod','max':{'memory':'1Gi'}}");
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','resources':{'limits':{'memory':'512Mi'}}},"
                + "{'name':'b','resources':{'limits':{'memory':'1Gi'}}}],"
                + "'initContainers':[{'name':'i','resources':{'limits':{'memory':'256Mi'}}}]}}");
        assertThat(LimitChecks.pod(pod, limits))
                .containsExactly("maximum memory usage per Pod is 1Gi, but limit is 1536Mi");

        ObjectNode init = json("{'spec':{'containers':[{'name':'a','resources':{'limits':{'memory':'512Mi'}}}],"
                + "'initContainers':[{'name':'i','resources':{'limits':{'memory':'2Gi'}}}]}}");
        assertThat(LimitChecks.pod(init, limits)).containsExactly("maximum memory usage per Pod is 1Gi, but limit is 2Gi");
    }

    @Test
    void claimsAreCheckedOnTheirStorageRequest() throws Exception {
        ObjectNode limits = range("{'type':'PersistentVolumeClaim','min':{'storage':'1Gi'},'max':{'storage':'2Gi'}}");
        assertThat(LimitChecks.claim(json("{'spec':{'resources':{'requests':{'storage':'5Gi'}}}}"), limits))
                .containsExactly("maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi");
        assertThat(LimitChecks.claim(json("{'spec':{'resources':{'requests':{'storage':'500Mi'}}}}"), limits))
                .containsExactly("minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi");
        assertThat(LimitChecks.claim(json("{'spec':{'resources':{'requests':{'storage':'1536Mi'}}}}"), limits)).isEmpty();
    }

    @Test
    void severalViolationsAreBracketedOneIsNot() {
        assertThat(LimitRanger.aggregate(java.util.List.of("a"))).isEqualTo("a");
        assertThat(LimitRanger.aggregate(java.util.List.of("a", "b", "a"))).isEqualTo("[a, b]");
    }
}
