package dev.flotilla.node.images;

/**
 * An image reference normalized as Docker's (and so the kubelet's and containerd's): a name without a
 * registry host is on {@code docker.io}, a one-part name there is under {@code library/}, no tag and no
 * digest means {@code :latest}. {@code busybox} is {@code docker.io/library/busybox:latest}.
 */
public record ImageReference(String registry, String path, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";

    public static ImageReference parse(String reference) {
        String text = reference == null ? "" : reference.strip();
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid image reference \"" + reference + "\"");
        }
        String digest = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            digest = text.substring(at + 1);
            text = text.substring(0, at);
        }
        String tag = null;
        int colon = text.lastIndexOf(':');
        if (colon > text.lastIndexOf('/')) {
            tag = text.substring(colon + 1);
            text = text.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String path = text;
        int slash = text.indexOf('/');
        if (slash > 0) {
            String first = text.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                path = text.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.isEmpty() || !registry.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?") || !path.matches("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*")
                || (tag != null && !tag.matches("[\\w][\\w.-]{0,127}"))
                || (digest != null && !digest.matches("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}"))) {
            throw new IllegalArgumentException("invalid image reference \"" + reference + "\"");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, path, tag, digest);
    }

    /** {@code registry/path}, without tag or digest. */
    public String name() {
        return registry + "/" + path;
    }

    /**
     * The repository that holds this image in the platform registry at {@code platformHost}: its own
     * images by their path, any other registry's under that registry's host ({@code docker.io/library/busybox}),
     * which is the path prefix the containerd mirror configuration asks the platform registry for.
     */
    public String repositoryIn(String platformHost) {
        return registry.equals(platformHost) ? path : registry + "/" + path;
    }

    /** The reference as stored in the platform registry: {@code platformHost/repository:tag}. */
    public String inRegistry(String platformHost) {
        return platformHost + "/" + repositoryIn(platformHost) + suffix();
    }

    /**
     * The reference a platform registry repository stands for: one whose first part is a registry host
     * ({@code docker.io/library/busybox}) is that registry's image, any other is the platform registry's own.
     */
    public static ImageReference fromRepository(String platformHost, String repository, String tag) {
        int slash = repository.indexOf('/');
        String first = slash > 0 ? repository.substring(0, slash) : "";
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return parse(repository + ":" + tag);
        }
        return parse(platformHost + "/" + repository + ":" + tag);
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public String toString() {
        return name() + suffix();
    }
}
