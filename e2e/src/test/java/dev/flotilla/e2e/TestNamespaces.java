package dev.flotilla.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.TestInfo;

/** A namespace of its own for each test method, named after it, so tests of one class cannot see each other's objects. */
final class TestNamespaces {

    private TestNamespaces() {
    }

    /** Creates {@code <prefix><method name, lower-case alphanumerics, at most maxLength>} and returns its name. */
    static String create(KubernetesClient client, TestInfo test, String prefix, int maxLength) {
        String method = test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        String name = prefix + method.substring(0, Math.min(maxLength, method.length()));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }
}
