package dev.flotilla.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserInfo ADMIN = new UserInfo("admin", List.of(UserInfo.AUTHENTICATED_GROUP));
    private static final String PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private final OpenApiEndpoints endpoints = new OpenApiEndpoints(
            new OpenApiDocuments(new ResourceRegistry(), "v1.32.0+test"));

    @Test
    void registersTheOpenapiTreeForAuthenticatedUsers() {
        Route route = endpoints.routes().get(0);
        assertThat(route.path()).isEqualTo("/openapi");
        assertThat(route.prefix()).isTrue();
        assertThat(route.publicInfo()).isFalse();
    }

    @Test
    void serverRelativeUrlsOfTheRootRouteBackToTheirDocuments() throws Exception {
        ApiResponse root = get("/openapi/v3", new DefaultHttpHeaders());
        assertThat(root.code()).isEqualTo(200);
        assertThat(root.contentType()).isEqualTo("application/json");

        JsonNode paths = JSON.readTree(root.body()).get("paths");
        for (String gv : List.of("api/v1", "apis/apps/v1")) {
            String url = paths.get(gv).get("serverRelativeURL").asText();
            ApiResponse document = get(url, new DefaultHttpHeaders().set("Accept", "application/json"));

            assertThat(document.code()).as(url).isEqualTo(200);
            assertThat(JSON.readTree(document.body()).get("openapi").asText()).isEqualTo("3.0.0");
            assertThat(document.headers()).containsEntry("Cache-Control", "public, immutable")
                    .containsKey("Expires").containsEntry("ETag", "\"" + url.substring(url.indexOf("hash=") + 5) + "\"");
        }
    }

    @Test
    void aStaleHashIsRedirectedToTheCurrentDocument() throws Exception {
        String current = JSON.readTree(get("/openapi/v3", new DefaultHttpHeaders()).body())
                .at("/paths/apis~1apps~1v1/serverRelativeURL").asText();

        ApiResponse stale = get("/openapi/v3/apis/apps/v1?hash=0123", new DefaultHttpHeaders());

        assertThat(stale.code()).isEqualTo(301);
        assertThat(stale.headers()).containsEntry("Location", current);
    }

    @Test
    void withoutAHashTheDocumentIsServedButNotMarkedImmutable() {
        ApiResponse response = get("/openapi/v3/apis/apps/v1/", new DefaultHttpHeaders());

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.headers()).doesNotContainKey("Cache-Control").containsKey("ETag");
    }

    @Test
    void matchingIfNoneMatchIsAnsweredNotModified() {
        String etag = get("/openapi/v3", new DefaultHttpHeaders()).headers().get("ETag");

        ApiResponse again = get("/openapi/v3", new DefaultHttpHeaders().set("If-None-Match", etag));
        ApiResponse other = get("/openapi/v3", new DefaultHttpHeaders().set("If-None-Match", "\"something-else\""));

        assertThat(again.code()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(other.code()).isEqualTo(200);
    }

    @Test
    void swaggerIsServedAsJsonAndProtobufOnlyClientsAreTurnedAway() throws Exception {
        ApiResponse json = get("/openapi/v2", new DefaultHttpHeaders().set("Accept", "application/json, */*"));
        assertThat(json.code()).isEqualTo(200);
        assertThat(JSON.readTree(json.body()).get("swagger").asText()).isEqualTo("2.0");

        assertThatThrownBy(() -> get("/openapi/v2", new DefaultHttpHeaders().set("Accept", PROTOBUF_V2)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(406));
    }

    @Test
    void unknownDocumentsAndOtherMethodsAreRefused() {
        assertThatThrownBy(() -> get("/openapi/v3/apis/nothing.example.com/v1", new DefaultHttpHeaders()))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(404));
        assertThatThrownBy(() -> get("/openapi/v4", new DefaultHttpHeaders()))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(404));
        assertThatThrownBy(() -> serve(HttpMethod.POST, "/openapi/v3", new DefaultHttpHeaders()))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(405));
    }

    private ApiResponse get(String uri, HttpHeaders headers) {
        return serve(HttpMethod.GET, uri, headers);
    }

    private ApiResponse serve(HttpMethod method, String uri, HttpHeaders headers) {
        QueryStringDecoder decoded = new QueryStringDecoder(uri);
        ApiRequest request = new ApiRequest(method, decoded.path(), decoded.parameters(), headers, new byte[0], ADMIN);
        return endpoints.routes().get(0).endpoint().handle(request);
    }
}
