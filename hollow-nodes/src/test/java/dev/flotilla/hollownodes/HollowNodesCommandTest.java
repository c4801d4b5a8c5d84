package dev.flotilla.hollownodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.cli.CommandLineOptions;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HollowNodesCommandTest {

    @Test
    void parsesOptionsLabelsAndTaintsAsKubectlWritesThem() {
        Map<String, String> options = CommandLineOptions.parse(new String[] {"--count", "3", "--cpu=2", "--help"}, "help");
        assertThat(options).containsEntry("count", "3").containsEntry("cpu", "2").containsKey("help");
        assertThat(HollowNodesCommand.labels("zone=a,disk=ssd")).containsExactly(Map.entry("zone", "a"), Map.entry("disk", "ssd"));
        List<Taint> taints = HollowNodesCommand.taints("dedicated=batch:NoSchedule,spot:PreferNoSchedule");
        assertThat(taints).extracting(Taint::getKey, Taint::getValue, Taint::getEffect)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dedicated", "batch", "NoSchedule"),
                        org.assertj.core.groups.Tuple.tuple("spot", null, "PreferNoSchedule"));
    }

    @Test
    void refusesATaintWithoutEffectAndAnOptionWithoutValue() {
        assertThatThrownBy(() -> HollowNodesCommand.taints("dedicated=batch")).hasMessageContaining("needs an effect");
        assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--count"}, "help")).hasMessageContaining("needs a value");
    }
}
