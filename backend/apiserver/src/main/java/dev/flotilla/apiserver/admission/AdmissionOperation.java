package dev.flotilla.apiserver.admission;

/** The operation a request asks admission about, as upstream names them. */
public enum AdmissionOperation {
    CREATE, UPDATE, DELETE
}
