package dev.flotilla.api.scheduling;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Whether a pod's tolerations cover a taint, by upstream's rules (empty key with Exists covers every taint). */
public final class Tolerations {

    private Tolerations() {
    }

    public static boolean tolerates(List<Toleration> tolerations, Taint taint) {
        for (Toleration toleration : tolerations) {
            if (tolerates(toleration, taint)) {
                return true;
            }
        }
        return false;
    }

    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (notEmpty(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (notEmpty(toleration.getKey()) && !toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null ? "Equal" : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "", "Equal" -> nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
