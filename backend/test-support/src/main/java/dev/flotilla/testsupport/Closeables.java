package dev.flotilla.testsupport;

/** Closing what a test class started, in the order given, skipping what never started. */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes each non-null resource in order; every one is closed even when an earlier one fails, and
     * the first failure is rethrown afterwards (the later ones added as suppressed).
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
