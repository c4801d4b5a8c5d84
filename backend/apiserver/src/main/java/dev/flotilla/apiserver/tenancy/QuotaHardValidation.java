package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What upstream's ResourceQuota validation says of a {@code hard} map beyond the quantity syntax
 * (which the schemas check): a resource without a domain must be one quota knows, and no amount may
 * be negative. Shared by the Tenant's {@code spec.resourceQuota.hard} and the TenantResourceQuota.
 */
final class QuotaHardValidation {

    private static final Set<String> STANDARD = Set.of("pods", "services", "replicationcontrollers", "resourcequotas",
            "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu",
            "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage",
            "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage");
    private static final Pattern QUANTITY = Pattern.compile("^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))"
            + "(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");

    private QuotaHardValidation() {
    }

    /** Problems of {@code hard} at {@code path} ({@code spec.resourceQuota.hard}). */
    static List<FieldError> validate(JsonNode hard, String path) {
        List<FieldError> errors = new ArrayList<>();
        if (!hard.isObject()) {
            return errors;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = hard.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String resource = field.getKey();
            if (!standard(resource)) {
                errors.add(FieldError.invalid(path + "." + resource, resource,
                        "must be a standard resource for quota"));
            }
            String amount = field.getValue().asText();
            if (QUANTITY.matcher(amount).matches() && new Quantity(amount).getNumericalAmount().signum() < 0) {
                errors.add(FieldError.invalid(path + "." + resource, amount, "must be greater than or equal to 0"));
            }
        }
        return errors;
    }

    /** A resource quota counts: a standard name, hugepages, or a name with a domain (count/…, class quotas). */
    private static boolean standard(String resource) {
        return STANDARD.contains(resource) || resource.contains("/") || resource.startsWith("hugepages-")
                || resource.startsWith("requests.hugepages-");
    }
}
