package dev.flotilla.api.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;

/**
 * One {@link PolicyRule} prepared for fast matching, with upstream's semantics: {@code *} matches any
 * verb, group, resource or URL; {@code pods/log} names a subresource and {@code *}{@code /log} that
 * subresource of any resource; an empty resourceNames list means every name; a non-resource URL
 * ending in {@code *} matches every path it prefixes.
 */
public record Rule(PolicyRule source, Set<String> verbs, Set<String> apiGroups, Set<String> resources,
        Set<String> resourceNames, List<String> nonResourceURLs) {

    public static final String ALL = "*";

    public static Rule of(PolicyRule rule) {
        return new Rule(rule, set(rule.getVerbs()), set(rule.getApiGroups()), set(rule.getResources()),
                set(rule.getResourceNames()), rule.getNonResourceURLs() == null ? List.of()
                        : List.copyOf(rule.getNonResourceURLs()));
    }

    public static List<Rule> all(List<PolicyRule> rules) {
        return rules == null ? List.of() : rules.stream().map(Rule::of).toList();
    }

    public boolean allows(AccessRequest request) {
        if (!matchesVerb(request.verb())) {
            return false;
        }
        if (!request.resourceRequest()) {
            return matchesUrl(request.path());
        }
        return (apiGroups.contains(ALL) || apiGroups.contains(request.apiGroup()))
                && matchesResource(request.combinedResource(), request.subresource())
                && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
    }

    private boolean matchesVerb(String verb) {
        return verbs.contains(ALL) || verbs.contains(verb);
    }

    private boolean matchesResource(String combined, String subresource) {
        if (resources.contains(ALL) || resources.contains(combined)) {
            return true;
        }
        return !subresource.isEmpty() && resources.contains("*/" + subresource);
    }

    private boolean matchesUrl(String path) {
        for (String url : nonResourceURLs) {
            if (urlCovers(url, path)) {
                return true;
            }
        }
        return false;
    }

    static boolean urlCovers(String url, String path) {
        return url.equals(path) || (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1)));
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : Set.copyOf(values);
    }
}
