package dev.flotilla.api.rbac;

/** An authorizer's answer; {@code reason} says which binding allowed it, or why it was denied if known. */
public record Decision(boolean allowed, String reason) {

    public static final Decision DENY = new Decision(false, "");

    public static Decision allow(String reason) {
        return new Decision(true, reason);
    }
}
