package dev.flotilla.node.network;

/**
 * A CNI plugin's failure: the error it printed on stdout ({@code code}, {@code msg}, {@code details}
 * as the CNI spec defines them), or, when it printed none, its exit status and stderr.
 */
public final class CniException extends RuntimeException {

    private final String plugin;
    private final int code;
    private final String details;

    public CniException(String plugin, int code, String message, String details) {
        super(plugin + ": " + message + (details == null || details.isEmpty() ? "" : " (" + details + ")"));
        this.plugin = plugin;
        this.code = code;
        this.details = details;
    }

    public String plugin() {
        return plugin;
    }

    /** The CNI error code (7 invalid network config, 11 try again later, ...); -1 when the plugin gave none. */
    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
