package dev.flotilla.api.rbac;

import static dev.flotilla.api.rbac.Policies.rule;
import static dev.flotilla.api.rbac.Policies.urls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscalationCheckTest {

    private static final UserInfo ALICE = new UserInfo("alice", List.of("system:authenticated"));

    @Test
    void heldPermissionsCoverTheirSubsets() {
        List<Rule> held = Rule.all(List.of(rule(List.of("get", "list"), List.of(""), List.of("pods", "*/log")),
                urls(List.of("get"), "/metrics/*")));
        assertThat(EscalationCheck.missing(ALICE, held, List.of(rule(List.of("get"), List.of(""), List.of("pods"), "web"),
                rule(List.of("list"), List.of(""), List.of("services/log")), urls(List.of("get"), "/metrics/x"))))
                .isEmpty();
    }

    @Test
    void missingPermissionsAreListedAsUpstreamDoes() {
        List<Rule> held = Rule.all(List.of(rule(List.of("get"), List.of(""), List.of("pods"))));
        assertThat(EscalationCheck.missing(ALICE, held, List.of(
                rule(List.of("get", "delete", "list"), List.of(""), List.of("pods")),
                urls(List.of("get"), "/metrics"))))
                .contains("user \"alice\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions"
                        + " not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\" \"list\"]}\n"
                        + "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}");
    }

    @Test
    void namedPermissionsDoNotCoverAllNamesAndWildcardsNeedWildcards() {
        List<Rule> held = Rule.all(List.of(rule(List.of("get"), List.of(""), List.of("secrets"), "mine")));
        assertThat(EscalationCheck.missing(ALICE, held, List.of(rule(List.of("get"), List.of(""), List.of("secrets")))))
                .isPresent();
        assertThat(EscalationCheck.missing(ALICE, Rule.all(List.of(rule(List.of("get"), List.of(""), List.of("pods")))),
                List.of(rule(List.of("*"), List.of(""), List.of("pods"))))).isPresent();
    }
}
