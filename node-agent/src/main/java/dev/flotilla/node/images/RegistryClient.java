package dev.flotilla.node.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a plain-HTTP registry's catalog and tags (the distribution registry's /v2 API). */
public final class RegistryClient {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String address;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryClient(String address) {
        this.address = address;
    }

    public String address() {
        return address;
    }

    /** Every repository in the catalog, following its pages. */
    public List<String> repositories() {
        List<String> all = new ArrayList<>();
        String next = "/v2/_catalog?n=1000";
        while (next != null) {
            HttpResponse<String> response = get(next);
            if (response.statusCode() != 200) {
                throw failure("list the repositories", response);
            }
            read(response).path("repositories").forEach(r -> all.add(r.asText()));
            next = response.headers().firstValue("Link").map(RegistryClient::nextPage).orElse(null);
        }
        return all;
    }

    /** The repository's tags; none when it does not exist. */
    public List<String> tags(String repository) {
        HttpResponse<String> response = get("/v2/" + repository + "/tags/list");
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw failure("list the tags of " + repository, response);
        }
        List<String> tags = new ArrayList<>();
        read(response).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    private static String nextPage(String link) {
        Matcher matcher = NEXT.matcher(link);
        return matcher.find() ? matcher.group(1) : null;
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the image registry at " + address + " does not answer (" + e.getMessage()
                    + "); start it with: flotilla up, or check flotilla logs registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the registry answered something that is not JSON: " + response.body(), e);
        }
    }

    private IllegalStateException failure(String what, HttpResponse<String> response) {
        return new IllegalStateException("cannot " + what + " at " + address + ": HTTP " + response.statusCode() + " "
                + response.body().strip());
    }
}
