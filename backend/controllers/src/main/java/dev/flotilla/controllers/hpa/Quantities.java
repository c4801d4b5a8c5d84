package dev.flotilla.controllers.hpa;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Quantities in milli-units, rounded up as upstream's {@code MilliValue}, and back. */
final class Quantities {

    private Quantities() {
    }

    static long milli(Quantity quantity) {
        return quantity.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }

    /** {@code 250m}, or {@code 2} when whole. */
    static Quantity ofMilli(long milli) {
        return milli % 1000 == 0 ? new Quantity(Long.toString(milli / 1000)) : new Quantity(milli + "m");
    }
}
