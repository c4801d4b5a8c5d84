package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DefaultStorageClass admission seen through kubectl: a claim without a class gets the default one. */
class DefaultStorageClassIT {

    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClaimWithoutAClassGetsTheDefaultClassAndAnExplicitChoiceIsKept() {
        ok("apply", "--validate=false", "-f", cluster.file("classes.yaml", """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: standard
                  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
                provisioner: example.com/none
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: fast}
                provisioner: example.com/none
                """).toString());
        ok("apply", "--validate=false", "-f", cluster.file("claims.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: plain, namespace: default}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: chosen, namespace: default}
                spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: classless, namespace: default}
                spec: {storageClassName: "", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """).toString());
        assertThat(className("plain")).isEqualTo("'standard'");
        assertThat(className("chosen")).isEqualTo("'fast'");
        assertThat(className("classless")).isEqualTo("''");
    }

    private static String className(String claim) {
        return ok("get", "pvc", claim, "-o", "jsonpath='{.spec.storageClassName}'").output().trim();
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
