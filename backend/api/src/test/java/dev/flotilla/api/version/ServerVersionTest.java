package dev.flotilla.api.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void reportsKubernetesLevelWithFlotillaVersionAsBuildMetadata() {
        ServerVersion version = ServerVersion.fromKubernetesVersion("v1.32.0", "0.1.0-SNAPSHOT", "2026-11-22T00:00:00Z");

        assertThat(version.major()).isEqualTo("1");
        assertThat(version.minor()).isEqualTo("32");
        assertThat(version.gitVersion()).isEqualTo("v1.32.0+flotilla.0.1.0.dev");
        assertThat(version.gitVersion()).matches("v\\d+\\.\\d+\\.\\d+\\+[0-9A-Za-z.-]+");
    }

    @Test
    void buildOfThisModuleCarriesItsVersion() {
        ServerVersion current = ServerVersion.current();

        assertThat(current.gitVersion()).startsWith("v1.").contains("+flotilla.");
        assertThat(current.buildDate()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(current.platform()).isEqualTo("linux/amd64");
    }

    @Test
    void rejectsSomethingThatIsNotAVersion() {
        assertThatThrownBy(() -> ServerVersion.fromKubernetesVersion("latest", "1", "now"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
