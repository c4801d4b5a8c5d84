package dev.flotilla.apiserver.openapi;

/**
 * The two OpenAPI flavours served. They differ in where schemas live (and so how {@code $ref}s read)
 * and in what a schema may say: Swagger 2.0 has no {@code oneOf}, so the int-or-string and quantity
 * types fall back to plain strings there, as upstream's {@code /openapi/v2} does.
 */
enum SchemaDialect {
    SWAGGER_V2("#/definitions/"),
    OPENAPI_V3("#/components/schemas/");

    private final String refPrefix;

    SchemaDialect(String refPrefix) {
        this.refPrefix = refPrefix;
    }

    String ref(String componentName) {
        return refPrefix + componentName;
    }
}
