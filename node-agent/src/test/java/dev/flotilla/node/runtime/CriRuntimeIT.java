package dev.flotilla.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.cri.v1.ContainerConfig;
import dev.flotilla.node.cri.v1.ContainerMetadata;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.ImageSpec;
import dev.flotilla.node.cri.v1.LinuxPodSandboxConfig;
import dev.flotilla.node.cri.v1.LinuxSandboxSecurityContext;
import dev.flotilla.node.cri.v1.NamespaceMode;
import dev.flotilla.node.cri.v1.NamespaceOption;
import dev.flotilla.node.cri.v1.PodSandboxConfig;
import dev.flotilla.node.cri.v1.PodSandboxMetadata;
import dev.flotilla.node.images.BaseImages;
import dev.flotilla.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's containerd, CRI client and base images against a real containerd. */
class CriRuntimeIT {

    private static TestContainerd containerd;

    @BeforeAll
    static void start() {
        containerd = TestContainerd.start();
    }

    @AfterAll
    static void stop() {
        if (containerd != null) {
            containerd.close();
        }
    }

    @Test
    void reportsVersionAndHasTheBaseImages() {
        assertThat(containerd.cri().version().getRuntimeName()).isEqualTo("containerd");
        assertThat(containerd.cri().version().getRuntimeApiVersion()).isEqualTo("v1");
        assertThat(containerd.cri().imageStatus(BaseImages.PAUSE)).isPresent();
        assertThat(containerd.cri().imageStatus("busybox")).isPresent();
    }

    @Test
    void runsABusyboxContainerInAHostNetworkSandboxAndWritesItsLog() throws Exception {
        CriClient cri = containerd.cri();
        Path logs = Files.createDirectories(containerd.dir().resolve("logs"));
        PodSandboxConfig sandbox = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("echo").setNamespace("default").setUid("uid-1"))
                .setLogDirectory(logs.toString())
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
                .build();
        String sandboxId = cri.runPodSandbox(sandbox);
        String id = cri.createContainer(sandboxId, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("main"))
                .setImage(ImageSpec.newBuilder().setImage("busybox"))
                .addCommand("sh").addArgs("-c").addArgs("echo hello from busybox; exit 3")
                .setLogPath("main.log")
                .build(), sandbox);
        cri.startContainer(id);
        Await.until(Duration.ofSeconds(30), "container exited",
                () -> cri.containerStatus(id).orElseThrow().getState() == ContainerState.CONTAINER_EXITED);
        assertThat(cri.containerStatus(id).orElseThrow().getExitCode()).isEqualTo(3);
        assertThat(Files.readString(logs.resolve("main.log"))).contains("stdout F hello from busybox");

        cri.stopPodSandbox(sandboxId);
        cri.removePodSandbox(sandboxId);
        assertThat(cri.listContainers()).noneMatch(c -> c.getId().equals(id));
        assertThat(cri.listPodSandboxes()).noneMatch(s -> s.getId().equals(sandboxId));
    }

    @Test
    void restartsContainerdWhenItDiesAndContainersKeepRunning() {
        CriClient cri = containerd.cri();
        PodSandboxConfig sandbox = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("survivor").setNamespace("default").setUid("uid-2"))
                .setLogDirectory(containerd.dir().resolve("logs-2").toString())
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
                .build();
        String sandboxId = cri.runPodSandbox(sandbox);
        String id = cri.createContainer(sandboxId, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("sleeper"))
                .setImage(ImageSpec.newBuilder().setImage("busybox"))
                .addCommand("sleep").addArgs("3600").setLogPath("sleeper.log").build(), sandbox);
        cri.startContainer(id);

        long before = containerd.supervisor().pid();
        containerd.supervisor().kill();
        Await.until(Duration.ofSeconds(60), "containerd back",
                () -> containerd.supervisor().running() && containerd.supervisor().pid() != before
                        && containerd.cri().runtimeReady());
        assertThat(cri.containerStatus(id).orElseThrow().getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);

        cri.stopContainer(id, 0);
        cri.stopPodSandbox(sandboxId);
        cri.removePodSandbox(sandboxId);
    }
}
