package ai.sentx.lambda.runtime;

import ai.sentx.http.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a whole response, for the buffered integrations: the managed-runtime handlers and the
 * streaming function under {@code sam local} ({@code AWS_SAM_LOCAL=true}), whose emulator answers
 * only once the function has finished anyway. Not thread-safe (one handler thread writes).
 */
public final class BufferedSink implements ResponseSink {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private int status;
    private boolean started;
    private boolean closed;

    @Override
    public void start(int status, Map<String, List<String>> headers, long contentLength) {
        if (started) throw new IllegalStateException("start was called twice");
        this.status = status;
        headers.forEach((name, values) -> this.headers.put(name, List.copyOf(values)));
        started = true;
    }

    @Override
    public void write(byte[] bytes) {
        if (!started) throw new IllegalStateException("write before start");
        body.writeBytes(bytes);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean started() {
        return started;
    }

    /**
     * Nothing has left the process yet, so the truncated answer is replaced by a {@code 500
     * internal_error} envelope (the contract's body for an unexpected failure).
     */
    @Override
    public void abort() {
        status = 500;
        String requestId = headers.getOrDefault("x-request-id", List.of()).stream().findFirst().orElse(null);
        headers.clear();
        if (requestId != null) headers.put("x-request-id", List.of(requestId));
        headers.put("content-type", List.of("application/json"));
        body.reset();
        body.writeBytes(("{\"error\":{\"message\":\"The response could not be completed. Retry the request.\","
                + "\"type\":\"api_error\",\"param\":null,\"code\":\"internal_error\"}}").getBytes(StandardCharsets.UTF_8));
        closed = true;
    }

    /** Whether the handler ended the response. */
    public boolean closed() {
        return closed;
    }

    /** The status given to {@link #start}. */
    public int status() {
        return status;
    }

    /** The headers given to {@link #start}. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Everything written. */
    public byte[] body() {
        return body.toByteArray();
    }
}
