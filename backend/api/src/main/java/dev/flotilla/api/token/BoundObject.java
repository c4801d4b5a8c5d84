package dev.flotilla.api.token;

/** An object a service account token names and is only valid with: its service account, pod, secret or node. */
public record BoundObject(String name, String uid) {
}
