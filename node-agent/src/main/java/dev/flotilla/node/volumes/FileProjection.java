package dev.flotilla.node.volumes;

import java.util.Arrays;

/** One file of a ConfigMap, Secret, downward API or projected volume: its content and permission bits. */
record FileProjection(byte[] data, int mode) {

    @Override
    public boolean equals(Object other) {
        return other instanceof FileProjection that && mode == that.mode && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
