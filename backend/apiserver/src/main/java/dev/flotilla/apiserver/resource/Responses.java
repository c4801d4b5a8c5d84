package dev.flotilla.apiserver.resource;

import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import java.util.Map;

/** Encodes a response body in the format the client accepts (JSON unless it asked for YAML only). */
final class Responses {

    private Responses() {
    }

    static ApiResponse object(ApiRequest request, int code, Object body) {
        boolean yaml = ObjectCodec.wantsYaml(request.headers().get("Accept"));
        return new ApiResponse(code, yaml ? ObjectCodec.YAML : ObjectCodec.JSON, ObjectCodec.encode(body, yaml), Map.of());
    }
}
