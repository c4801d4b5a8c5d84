package dev.flotilla.api.quota;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Sums of resource quantities written as upstream writes them: in the format of the first quantity
 * added (binary {@code Mi}/{@code Gi} or decimal {@code m}/{@code k}), at the largest suffix that
 * keeps the number whole ({@code 1536Mi}, {@code 1500m}, {@code 2}).
 */
public final class Quantities {

    private static final List<String> BINARY = List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final List<String> DECIMAL = List.of("n", "u", "m", "", "k", "M", "G", "T", "P", "E");
    private static final BigInteger KI = BigInteger.valueOf(1024);

    /** A running sum and the format its first term was written in. */
    public static final class Sum {
        private BigDecimal amount = BigDecimal.ZERO;
        private Boolean binary;

        public void add(Quantity quantity) {
            if (quantity == null) {
                return;
            }
            // A zero sum takes the format of what is added, as Go's Quantity.Add does.
            if (binary == null || amount.signum() == 0) {
                binary = quantity.getFormat() != null && quantity.getFormat().endsWith("i");
            }
            amount = amount.add(quantity.getNumericalAmount());
        }

        public void add(long count) {
            amount = amount.add(BigDecimal.valueOf(count));
        }

        public void max(Sum other) {
            if (other.amount.compareTo(amount) > 0) {
                amount = other.amount;
                binary = binary == null ? other.binary : binary;
            }
        }

        public void add(Sum other) {
            if (binary == null || amount.signum() == 0 && other.binary != null) {
                binary = other.binary;
            }
            amount = amount.add(other.amount);
        }

        /** Takes {@code other} away, never below zero (a recount may already have left it out). */
        public void subtract(Sum other) {
            amount = amount.subtract(other.amount).max(BigDecimal.ZERO);
        }

        public static Sum of(Quantity quantity) {
            Sum sum = new Sum();
            sum.add(quantity);
            return sum;
        }

        public BigDecimal amount() {
            return amount;
        }

        public String text() {
            return format(amount, Boolean.TRUE.equals(binary));
        }
    }

    private Quantities() {
    }

    public static String format(BigDecimal amount, boolean binary) {
        if (amount.signum() == 0) {
            return "0";
        }
        if (binary && amount.stripTrailingZeros().scale() <= 0 && amount.abs().compareTo(BigDecimal.valueOf(1024)) >= 0) {
            BigInteger value = amount.toBigIntegerExact();
            int power = 0;
            while (power < BINARY.size() && value.mod(KI).signum() == 0) {
                value = value.divide(KI);
                power++;
            }
            return value + (power == 0 ? "" : BINARY.get(power - 1));
        }
        // Decimal: the largest power of 1000 that leaves a whole number, from nano up.
        for (int i = DECIMAL.size() - 1; i >= 0; i--) {
            int exponent = (i - 3) * 3;
            BigDecimal scaled = amount.movePointLeft(exponent);
            if (scaled.stripTrailingZeros().scale() <= 0) {
                return scaled.stripTrailingZeros().toPlainString() + DECIMAL.get(i);
            }
        }
        return amount.movePointLeft(-9).setScale(0, java.math.RoundingMode.UP).toPlainString() + "n";
    }

    /** Equal amounts, whatever their text: {@code 1Gi} and {@code 1024Mi} are the same quota. */
    public static boolean sameAmount(Quantity a, Quantity b) {
        return a != null && b != null && a.getNumericalAmount().compareTo(b.getNumericalAmount()) == 0;
    }
}
