package dev.flotilla.api.rbac;

import dev.flotilla.api.auth.UserInfo;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Escalation prevention (upstream's ConfirmNoEscalation): a user may only write a role, or bind one,
 * whose every permission they already hold. Each requested rule is broken into single permissions
 * (one group, resource, name and verb, or one URL and verb), and each must be covered by a rule the
 * user holds.
 */
public final class EscalationCheck {

    private EscalationCheck() {
    }

    /** Empty when {@code held} covers {@code requested}; otherwise upstream's message listing what is missing. */
    public static Optional<String> missing(UserInfo user, List<Rule> held, List<PolicyRule> requested) {
        Map<String, List<String>> missingVerbs = new LinkedHashMap<>();
        List<String> missingUrls = new ArrayList<>();
        for (PolicyRule rule : requested) {
            List<String> verbs = list(rule.getVerbs());
            for (String group : list(rule.getApiGroups())) {
                for (String resource : list(rule.getResources())) {
                    List<String> names = list(rule.getResourceNames());
                    for (String name : names.isEmpty() ? java.util.Collections.<String>singletonList(null) : names) {
                        for (String verb : verbs) {
                            if (!coveredResource(held, group, resource, name, verb)) {
                                missingVerbs.computeIfAbsent(compactKey(group, resource, name), k -> new ArrayList<>())
                                        .add(verb);
                            }
                        }
                    }
                }
            }
            for (String url : list(rule.getNonResourceURLs())) {
                for (String verb : verbs) {
                    if (!coveredUrl(held, url, verb)) {
                        missingUrls.add("{NonResourceURLs:" + quoted(List.of(url)) + ", Verbs:" + quoted(List.of(verb)) + "}");
                    }
                }
            }
        }
        if (missingVerbs.isEmpty() && missingUrls.isEmpty()) {
            return Optional.empty();
        }
        TreeSet<String> descriptions = new TreeSet<>(missingUrls);
        missingVerbs.forEach((key, verbs) -> descriptions.add("{" + key + ", Verbs:" + quoted(verbs) + "}"));
        return Optional.of("user \"" + user.name() + "\" (groups=" + quoted(user.groups())
                + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions));
    }

    private static boolean coveredResource(List<Rule> held, String group, String resource, String name, String verb) {
        for (Rule rule : held) {
            if (has(rule.verbs(), verb) && has(rule.apiGroups(), group) && coversResource(rule, resource)
                    && (rule.resourceNames().isEmpty() || (name != null && rule.resourceNames().contains(name)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean coversResource(Rule rule, String resource) {
        if (has(rule.resources(), resource)) {
            return true;
        }
        int slash = resource.indexOf('/');
        return slash > 0 && rule.resources().contains("*" + resource.substring(slash));
    }

    private static boolean coveredUrl(List<Rule> held, String url, String verb) {
        for (Rule rule : held) {
            if (has(rule.verbs(), verb) && rule.nonResourceURLs().stream().anyMatch(owned -> Rule.urlCovers(owned, url))) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(java.util.Set<String> values, String value) {
        return values.contains(Rule.ALL) || values.contains(value);
    }

    private static String compactKey(String group, String resource, String name) {
        String key = "APIGroups:" + quoted(List.of(group)) + ", Resources:" + quoted(List.of(resource));
        return name == null ? key : key + ", ResourceNames:" + quoted(List.of(name));
    }

    /** A string list as Go's {@code %q} prints it: {@code ["a" "b"]}. */
    static String quoted(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
