package dev.flotilla.apiserver.admission;

/**
 * One admission plugin, named as upstream names it. Mutating plugins change the object in
 * {@link #admit}; validating plugins refuse it in {@link #validate} by throwing an {@code ApiError}.
 * {@link AdmissionChain} runs every plugin's {@code admit}, then every plugin's {@code validate}, in
 * upstream's plugin order.
 */
public interface AdmissionPlugin {

    /** Upstream's plugin name ({@code NamespaceLifecycle}, {@code ResourceQuota}); decides the order. */
    String name();

    default void admit(AdmissionAttributes attributes) {
    }

    default void validate(AdmissionAttributes attributes) {
    }
}
