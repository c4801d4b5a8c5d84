package dev.flotilla.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletClientTest {

    @TempDir
    static Path stateDir;
    private static ClusterCertificates certificates;

    @BeforeAll
    static void certificates() {
        ApiServerProperties properties = new ApiServerProperties();
        properties.setStateDir(stateDir);
        certificates = new ClusterCertificates(properties);
    }

    @Test
    void dialsThePreferredAddressTypeAndTheReportedKubeletPort() throws Exception {
        ObjectNode node = node("""
                {"addresses":[{"type":"Hostname","address":"worker"},{"type":"ExternalIP","address":"203.0.113.7"},
                 {"type":"InternalIP","address":"10.0.0.5"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10260}}}""");
        Backend backend = client(new KubeletClientProperties()).kubelet(node, "/healthz");
        assertThat(backend.url()).isEqualTo("https://10.0.0.5:10260/healthz");

        KubeletClientProperties external = new KubeletClientProperties();
        external.setPreferredAddressTypes(List.of("ExternalIP", "InternalIP"));
        assertThat(client(external).kubelet(node, "/").address()).isEqualTo("203.0.113.7:10260");
    }

    @Test
    void withoutAPortTheDefaultAndWithoutAUsableAddressUpstreamsError() throws Exception {
        KubeletClient client = client(new KubeletClientProperties());
        assertThat(client.kubelet(node("{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"fd00::1\"}]}"), "/")
                .address()).isEqualTo("[fd00::1]:10250");
        assertThatThrownBy(() -> client.kubelet(node("{\"addresses\":[{\"type\":\"Other\",\"address\":\"x\"}]}"), "/"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(500))
                .hasMessage("no preferred addresses found; known addresses: [{Other x}]");
    }

    @Test
    void presentsItsOwnClientCertificateFromTheClusterCa() {
        client(new KubeletClientProperties());
        X509Certificate cert = PemFiles.readCertificate(stateDir.resolve("pki/apiserver-kubelet-client.crt"));
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=kube-apiserver-kubelet-client");
        assertThat(certificates.ca().verifies(cert)).isTrue();
    }

    private static KubeletClient client(KubeletClientProperties properties) {
        return new KubeletClient(properties, certificates);
    }

    private static ObjectNode node(String status) throws Exception {
        return (ObjectNode) Json.mapper().readTree("{\"metadata\":{\"name\":\"worker\"},\"status\":" + status + "}");
    }
}
