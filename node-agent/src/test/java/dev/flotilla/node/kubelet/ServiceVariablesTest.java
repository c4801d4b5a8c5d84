package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class ServiceVariablesTest {

    @Test
    void namesFollowTheKubeletsDockerLinkConvention() {
        Service service = new ServiceBuilder().withNewMetadata().withName("backend-api").endMetadata().withNewSpec()
                .withClusterIP("10.96.0.20")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withName("dns-udp").withPort(53).withProtocol("UDP").endPort()
                .endSpec().build();
        assertThat(ServiceVariables.of(service))
                .containsEntry("BACKEND_API_SERVICE_HOST", "10.96.0.20")
                .containsEntry("BACKEND_API_SERVICE_PORT", "8080")
                .containsEntry("BACKEND_API_SERVICE_PORT_HTTP", "8080")
                .containsEntry("BACKEND_API_SERVICE_PORT_DNS_UDP", "53")
                .containsEntry("BACKEND_API_PORT", "tcp://10.96.0.20:8080")
                .containsEntry("BACKEND_API_PORT_8080_TCP", "tcp://10.96.0.20:8080")
                .containsEntry("BACKEND_API_PORT_8080_TCP_PROTO", "tcp")
                .containsEntry("BACKEND_API_PORT_8080_TCP_PORT", "8080")
                .containsEntry("BACKEND_API_PORT_8080_TCP_ADDR", "10.96.0.20")
                .containsEntry("BACKEND_API_PORT_53_UDP", "udp://10.96.0.20:53")
                .hasSize(13);
    }

    @Test
    void headlessAndExternalNameServicesHaveNone() {
        Service headless = new ServiceBuilder().withNewMetadata().withName("db").endMetadata().withNewSpec()
                .withClusterIP("None").addNewPort().withPort(5432).endPort().endSpec().build();
        Service external = new ServiceBuilder().withNewMetadata().withName("ext").endMetadata().withNewSpec()
                .withType("ExternalName").withExternalName("example.com").endSpec().build();
        assertThat(ServiceVariables.of(headless)).isEmpty();
        assertThat(ServiceVariables.of(external)).isEmpty();
    }
}
