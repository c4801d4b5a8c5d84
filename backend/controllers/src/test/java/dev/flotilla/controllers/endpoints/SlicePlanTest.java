package dev.flotilla.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicePlanTest {

    private static final List<EndpointPort> HTTP = List.of(new EndpointPortBuilder().withName("http").withPort(8080)
            .withProtocol("TCP").build());

    @Test
    void endpointsAreSplitAtTheMaximum() {
        SlicePlan plan = SlicePlan.of(List.of(), Map.of(HTTP, endpoints(0, 250)), 100);
        assertThat(plan.slices()).extracting(s -> s.endpoints().size()).containsExactly(100, 100, 50);
        assertThat(plan.slices()).allSatisfy(s -> assertThat(s.current()).isNull());
        assertThat(plan.unused()).isEmpty();
    }

    @Test
    void endpointsStayInTheirSliceAndNewOnesFillFreeRoom() {
        EndpointSlice a = slice("a", endpoints(0, 100));
        EndpointSlice b = slice("b", endpoints(100, 150));
        List<Endpoint> desired = new ArrayList<>(endpoints(5, 150));
        desired.addAll(endpoints(150, 160));
        SlicePlan plan = SlicePlan.of(List.of(a, b), Map.of(HTTP, desired), 100);
        assertThat(plan.slices()).hasSize(2);
        assertThat(plan.slices().get(0).current()).isSameAs(a);
        assertThat(plan.slices().get(0).endpoints()).hasSize(100);
        assertThat(plan.slices().get(0).endpoints().get(0).getAddresses()).containsExactly("10.0.0.5");
        assertThat(plan.slices().get(1).current()).isSameAs(b);
        assertThat(plan.slices().get(1).endpoints()).hasSize(55);
        assertThat(plan.unused()).isEmpty();
    }

    @Test
    void anEmptySliceIsReusedForANewPortSetAndTheLastOneStaysAsAPlaceholder() {
        EndpointSlice placeholder = new EndpointSliceBuilder().withNewMetadata().withName("p").endMetadata().build();
        SlicePlan plan = SlicePlan.of(List.of(placeholder), Map.of(HTTP, endpoints(0, 3)), 100);
        assertThat(plan.slices()).singleElement().satisfies(s -> {
            assertThat(s.current()).isSameAs(placeholder);
            assertThat(s.ports()).isEqualTo(HTTP);
        });
        SlicePlan empty = SlicePlan.of(List.of(slice("a", endpoints(0, 3))), Map.of(), 100);
        assertThat(empty.slices()).singleElement().satisfies(s -> {
            assertThat(s.current().getMetadata().getName()).isEqualTo("a");
            assertThat(s.endpoints()).isEmpty();
        });
        assertThat(empty.unused()).isEmpty();
    }

    private static EndpointSlice slice(String name, List<Endpoint> endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).endMetadata().withPorts(HTTP)
                .withEndpoints(endpoints).build();
    }

    private static List<Endpoint> endpoints(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new EndpointBuilder()
                .withAddresses("10.0." + (i / 250) + "." + (i % 250)).build()).toList();
    }
}
