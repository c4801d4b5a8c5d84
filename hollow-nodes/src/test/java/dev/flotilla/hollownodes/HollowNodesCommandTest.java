package dev.flotilla.hollownodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HollowNodesCommandTest {

    @Test
    void parsesOptionsLabelsAndTaintsAsKubectlWritesThem() {
        Map<String, String> options = HollowNodesCommand.parse(new String[] {"--count", "3", "--cpu=2", "--help"});
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
        assertThatThrownBy(() -> HollowNodesCommand.parse(new String[] {"--count"})).hasMessageContaining("needs a value");
    }
}
