package dev.flotilla.protobuf;

/**
 * A request body that cannot be turned into JSON: not a Kubernetes protobuf envelope, cut short,
 * corrupt, or of an apiVersion/kind this server has no schema for. Unchecked because callers can
 * only answer such a body with a 400/415-style error; the message says what was wrong.
 */
public class ProtobufDecodeException extends RuntimeException {

  public ProtobufDecodeException(String message) {
    super(message);
  }

  public ProtobufDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
