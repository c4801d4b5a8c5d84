package dev.flotilla.server.jointoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JoinTokenCommandTest {

    @Test
    void ttlTakesGoDurations() {
        assertThat(JoinTokenCommand.duration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(JoinTokenCommand.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(JoinTokenCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(JoinTokenCommand.duration("0")).isZero();
        for (String bad : new String[] {"", "24", "h", "1d", "-1h", "1h 30m"}) {
            assertThatThrownBy(() -> JoinTokenCommand.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(JoinTokenCommand.run(new String[] {"create"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("usage: join-token");
    }
}
