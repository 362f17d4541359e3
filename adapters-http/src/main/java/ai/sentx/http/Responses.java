package ai.sentx.http;

import ai.sentx.domain.Failure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes whole responses: JSON bodies and the error envelope of CONTRACT §3. */
final class Responses {
    static final String JSON = "application/json";

    private Responses() {
    }

    /** A fresh, mutable header map. */
    static Map<String, List<String>> headers() {
        return new LinkedHashMap<>();
    }

    static void put(Map<String, List<String>> headers, String name, String value) {
        List<String> values = new ArrayList<>(1);
        values.add(value);
        headers.put(name, values);
    }

    static void send(ResponseSink sink, int status, Map<String, List<String>> headers, String contentType, byte[] body)
            throws IOException {
        put(headers, "content-type", contentType);
        sink.start(status, headers, body.length);
        if (body.length > 0) sink.write(body);
        sink.close();
    }

    static void sendJson(ResponseSink sink, ObjectMapper json, int status, Map<String, List<String>> headers,
                         Object body) throws IOException {
        send(sink, status, headers, JSON, bytes(json, body));
    }

    /** Sends {@code failure} in the error envelope with its status and retry advice. */
    static void sendError(ResponseSink sink, ObjectMapper json, Map<String, List<String>> headers, Failure failure)
            throws IOException {
        ErrorCatalog.HttpError http = ErrorCatalog.of(failure.problem());
        if (!http.shouldRetry()) put(headers, "x-should-retry", "false");
        if (failure.retryAfterSeconds() > 0) {
            put(headers, "retry-after", Long.toString(failure.retryAfterSeconds()));
        }
        send(sink, http.status(), headers, JSON, bytes(json, envelope(json, failure)));
    }

    /** {@code {"error":{"message","type","param","code"}}}. */
    static ObjectNode envelope(ObjectMapper json, Failure failure) {
        ErrorCatalog.HttpError http = ErrorCatalog.of(failure.problem());
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", failure.message());
        error.put("type", http.type());
        error.put("param", failure.param());
        error.put("code", http.code());
        return root;
    }

    static byte[] bytes(ObjectMapper json, Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A Go-style duration as the OpenAI rate-limit headers use: {@code 20ms}, {@code 35s}, {@code 1m0s}. */
    static String goDuration(long millis) {
        if (millis < 1000) return Math.max(0, millis) + "ms";
        long seconds = (millis + 999) / 1000;
        if (seconds < 60) return seconds + "s";
        return (seconds / 60) + "m" + (seconds % 60) + "s";
    }
}
