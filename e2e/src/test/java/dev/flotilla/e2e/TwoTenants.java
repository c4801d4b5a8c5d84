package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Two tenants on one control plane, {@code alpha} and {@code beta}, for isolation tests: each has an
 * owner and a developer (users holding client certificates from the cluster CA, as kubectl users do)
 * and one namespace its owner created with {@code kubectl create namespace}, ready (the reconciler has
 * written the tenant's defaults).
 */
final class TwoTenants implements AutoCloseable {

    private static final Duration RECONCILED = Duration.ofSeconds(90);

    /** One tenant's people and namespace. */
    record Tenant(String name, String owner, String developer, String namespace) {

        String group() {
            return "tenant:" + name;
        }
    }

    final ControlPlane cluster;
    final Tenant alpha = new Tenant("alpha", "alpha-owner", "alpha-dev", "alpha-one");
    final Tenant beta = new Tenant("beta", "beta-owner", "beta-dev", "beta-one");

    private TwoTenants(ControlPlane cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts a control plane with both tenants; {@code alphaSpec} and {@code betaSpec} are extra
     * lines of each Tenant's spec (YAML indented by two spaces), or empty.
     */
    static TwoTenants start(String alphaSpec, String betaSpec) {
        TwoTenants tenants = new TwoTenants(ControlPlane.start());
        try {
            tenants.create(tenants.alpha, alphaSpec);
            tenants.create(tenants.beta, betaSpec);
            tenants.createNamespace(tenants.alpha);
            tenants.createNamespace(tenants.beta);
            return tenants;
        } catch (RuntimeException | Error e) {
            tenants.close();
            throw e;
        }
    }

    private void create(Tenant tenant, String spec) {
        Path file = cluster.file(tenant.name() + ".yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: %s
                spec:
                  owners:
                  - kind: User
                    name: %s
                  members:
                  - kind: User
                    name: %s
                    role: developer
                  namespaceQuota: 3
                %s
                """.formatted(tenant.name(), tenant.owner(), tenant.developer(), spec.indent(2)));
        // Retried: kubectl's first OpenAPI download (for client-side validation) can fail on a loaded machine.
        Await.until(RECONCILED, "kubectl apply -f " + file.getFileName(),
                () -> cluster.kubectl("apply", "-f", file.toString()).exitCode() == 0);
        cluster.kubeconfigFor(tenant.owner(), tenant.group());
        cluster.kubeconfigFor(tenant.developer(), tenant.group());
    }

    private void createNamespace(Tenant tenant) {
        Await.until(RECONCILED, tenant.owner() + " may create namespaces",
                () -> as(tenant.owner(), "auth", "can-i", "create", "namespaces").output().trim().endsWith("yes"));
        as(tenant.owner(), "create", "namespace", tenant.namespace()).assertSuccess();
        Await.until(RECONCILED, tenant.namespace() + " has its tenant defaults", () -> tenant.name().equals(
                cluster.kubectl("get", "namespace", tenant.namespace(), "-o",
                        "jsonpath={.metadata.annotations.tenancy\\.flotilla\\.dev/defaults-of}").output().trim()));
        Await.until(RECONCILED, tenant.developer() + " works in " + tenant.namespace(), () -> as(tenant.developer(),
                "auth", "can-i", "create", "configmaps", "-n", tenant.namespace()).output().trim().endsWith("yes"));
    }

    /** kubectl with the kubeconfig of {@code user} (an owner or developer of either tenant). */
    Command.Result as(String user, String... args) {
        return cluster.kubectlWith(cluster.stateDir().resolve("user-" + user + ".kubeconfig"), args);
    }

    /** An HTTPS client presenting {@code user}'s client certificate. */
    HttpsClient client(String user) {
        return cluster.clientAs(user);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
