package com.bankaccounts.platform.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running server, as a client would call it. */
public class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ApiClient(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public record Response(int status, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        /** The {@code message} of an error body. */
        public String message() {
            return text("message");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path, String apiKey) {
        return send(request(path, apiKey).GET().build());
    }

    /** A {@code null} body sends none (a JSON {@code null} is refused as a body); a String is sent as it is. */
    public Response post(String path, String apiKey, Object body) {
        String json = body == null ? "" : body instanceof String text ? text : JSON.writeValueAsString(body);
        return postRaw(path, apiKey, "application/json", json);
    }

    public Response postRaw(String path, String apiKey, String contentType, String body) {
        HttpRequest.Builder builder = request(path, apiKey).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("content-type", contentType);
        }
        return send(builder.build());
    }

    /**
     * An error body names its request ({@code "requestId"}), different every time; it is left out here so that two
     * answers can be compared whole (a foreign id answers exactly as an unknown one). RequestIdApiTest reads it raw.
     */
    private static String withoutRequestId(String body) {
        return body == null ? null : body.replaceFirst(",\"requestId\":\"[A-Za-z0-9._-]+\"}$", "}");
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), withoutRequestId(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            builder.header("x-api-key", apiKey);
        }
        return builder;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public static Map<String, Object> map(Object... keyValues) {
        java.util.LinkedHashMap<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
