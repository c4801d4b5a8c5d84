package dev.flotilla.apiserver.admission.podsecurity;

/** One failed check: upstream's short reason ({@code host namespaces}) and what exactly was wrong. */
public record Violation(String reason, String detail) {

    /** {@code reason (detail)}, or the reason alone, as upstream's {@code ForbiddenDetail} lists it. */
    @Override
    public String toString() {
        return detail.isEmpty() ? reason : reason + " (" + detail + ")";
    }
}
