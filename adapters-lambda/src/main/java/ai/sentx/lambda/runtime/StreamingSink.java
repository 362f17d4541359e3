package ai.sentx.lambda.runtime;

import ai.sentx.domain.Problem;
import ai.sentx.http.ErrorCatalog;
import ai.sentx.http.ResponseSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The response of one invocation as a function-URL stream: {@link #start} opens the streamed
 * {@code /response} (so that {@code /error} stays possible until then) and sends the prelude;
 * each {@link #write} is one flushed chunk.
 *
 * <p><b>Failures after the first byte.</b> A stream that HttpApi ends with the contract's error
 * event ({@code data: {"error":...}} then {@code data: [DONE]}) is a well-formed response; the
 * client has all of it when the body ends. It is still a failed invocation, and Lambda learns so
 * from the trailers: {@link #close} then ends the body with {@code Sentx.<code>} in
 * {@code Lambda-Runtime-Function-Error-Type}, which is what the Errors metric and alarms see.
 *
 * <p><b>The deadline.</b> Lambda cannot tell the function that the client left, nor stop a stream
 * politely at its timeout, so the runtime ends the answer itself: after {@link #expire} every
 * {@code start} or {@code write} of the handler fails as if the client had gone (the chat then
 * stops the model and bills what was generated), and {@link #endAtDeadline} sends what the client
 * must still see (a 504 envelope, or the SSE error event and {@code [DONE]}).
 *
 * <p>Thread-safe: the handler writes from its thread, the deadline watchdog from another.
 */
final class StreamingSink implements ResponseSink {
    private static final byte[] ERROR_EVENT = "data: {\"error\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuntimeApi api;
    private final String requestId;
    private StreamingResponse stream;
    private boolean eventStream;
    private boolean closed;
    private boolean expired;
    private String errorType;
    private String errorMessage;

    StreamingSink(RuntimeApi api, String requestId) {
        this.api = api;
        this.requestId = requestId;
    }

    @Override
    public synchronized void start(int status, Map<String, List<String>> headers, long contentLength) throws IOException {
        if (expired) throw new IOException("the invocation reached its deadline");
        if (stream != null) throw new IllegalStateException("start was called twice");
        String type = IntegrationResponse.header(headers, "content-type");
        eventStream = type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        stream = api.stream(requestId, IntegrationResponse.CONTENT_TYPE);
        stream.write(IntegrationResponse.prelude(status, headers));
    }

    @Override
    public synchronized void write(byte[] bytes) throws IOException {
        if (expired) throw new IOException("the invocation reached its deadline");
        if (stream == null) throw new IllegalStateException("write before start");
        if (closed) throw new IOException("the response has ended");
        if (eventStream && errorType == null && startsWith(bytes, ERROR_EVENT)) remember(bytes);
        stream.write(bytes);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed || stream == null) return;
        closed = true;
        if (errorType != null) {
            stream.fail(errorType, errorMessage);
        } else {
            stream.finish();
        }
    }

    @Override
    public synchronized boolean started() {
        return stream != null;
    }

    /** Whether the response has ended (normally or with trailers). */
    synchronized boolean closed() {
        return closed;
    }

    /** From now on the handler's writes fail as if the client had gone. */
    synchronized void expire() {
        expired = true;
    }

    /**
     * Ends the answer because the deadline has come: nothing sent yet → a 504 {@code upstream_timeout}
     * envelope; an SSE stream → its error event, {@code [DONE]} and the trailers; any other started
     * body → the trailers alone. Does nothing when the response has ended.
     */
    synchronized void endAtDeadline() throws IOException {
        expired = true;
        if (closed) return;
        ErrorCatalog.HttpError timeout = ErrorCatalog.of(Problem.UPSTREAM_TIMEOUT);
        String message = "The response reached this deployment's time limit and was cut.";
        byte[] envelope = envelope(timeout, message);
        if (stream == null) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("content-type", List.of("application/json"));
            stream = api.stream(requestId, IntegrationResponse.CONTENT_TYPE);
            stream.write(IntegrationResponse.prelude(timeout.status(), headers));
            stream.write(envelope);
            closed = true;
            stream.finish();
            return;
        }
        closed = true;
        if (eventStream) {
            byte[] event = new byte[6 + envelope.length + 2];
            System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
            System.arraycopy(envelope, 0, event, 6, envelope.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            stream.write(event);
            stream.write(DONE);
        }
        stream.fail("Runtime.DeadlineExceeded", message);
    }

    /**
     * Ends a started answer with the trailers because the handler broke: the invocation failed
     * after its first byte. Does nothing when the response has ended.
     */
    synchronized void failAfterStart(String type, String message) throws IOException {
        if (closed || stream == null) return;
        closed = true;
        stream.fail(type, message);
    }

    /** Ends the started answer with error trailers: Lambda records the invocation as failed. */
    @Override
    public void abort() {
        try {
            failAfterStart("Runtime.ResponseAborted", "the response body could not be completed");
        } catch (IOException e) {
            abandon();
        }
    }

    /** Drops the connection of a response that can no longer be ended properly. */
    synchronized void abandon() {
        closed = true;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // Nothing more can be sent.
            }
        }
    }

    private void remember(byte[] event) {
        errorType = "Sentx.error";
        errorMessage = "the stream ended with an error event";
        try {
            int end = event.length;
            while (end > 0 && (event[end - 1] == '\n' || event[end - 1] == '\r')) end--;
            JsonNode error = JSON.readTree(new String(event, 6, end - 6, StandardCharsets.UTF_8)).path("error");
            String code = error.path("code").asText("");
            if (code.matches("[a-z_]{1,64}")) errorType = "Sentx." + code;
            errorMessage = error.path("message").asText(errorMessage);
        } catch (IOException | RuntimeException e) {
            // Keep the generic type: the body has already gone out as written.
        }
    }

    private static byte[] envelope(ErrorCatalog.HttpError http, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", http.type());
        error.putNull("param");
        error.put("code", http.code());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) return false;
        }
        return true;
    }
}
