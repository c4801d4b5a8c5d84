package dev.flotilla.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void sumsAreWrittenInTheFirstTermsFormatAtTheLargestWholeSuffix() {
        assertThat(sum("250m", "250m")).isEqualTo("500m");
        assertThat(sum("500m", "500m")).isEqualTo("1");
        assertThat(sum("1", "500m")).isEqualTo("1500m");
        assertThat(sum("64Mi", "64Mi")).isEqualTo("128Mi");
        assertThat(sum("1Gi", "512Mi")).isEqualTo("1536Mi");
        assertThat(sum("512Mi", "512Mi")).isEqualTo("1Gi");
        assertThat(sum("100M", "100M")).isEqualTo("200M");
        assertThat(new Quantities.Sum().text()).isEqualTo("0");
        assertThat(sum("0", "64Mi")).isEqualTo("64Mi");
        assertThat(Quantities.format(BigDecimal.valueOf(3), false)).isEqualTo("3");
        assertThat(Quantities.format(BigDecimal.valueOf(1000), false)).isEqualTo("1k");
    }

    private static String sum(String a, String b) {
        Quantities.Sum sum = new Quantities.Sum();
        sum.add(new Quantity(a));
        sum.add(new Quantity(b));
        return sum.text();
    }
}
