package ai.sentx.http;

import ai.sentx.application.ApiPrincipal;
import ai.sentx.application.ChatObserver;
import ai.sentx.application.ChatOutcome;
import ai.sentx.application.CompleteChat;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.Failure;
import ai.sentx.domain.IdentityHeaders;
import ai.sentx.domain.chat.ChatRequest;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import ai.sentx.sse.SseFrames;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/chat/completions}, streamed (SSE) or not. */
final class ChatRoute {
    private final CompleteChat chat;
    private final ObjectMapper json;
    private final ChatJson shapes;
    private final ChatRequestParser parser;

    ChatRoute(CompleteChat chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
        this.shapes = new ChatJson(json);
        this.parser = new ChatRequestParser(json);
    }

    void handle(HttpRequest req, byte[] body, ApiPrincipal who, String requestId, Map<String, List<String>> headers,
                ResponseSink sink) throws IOException {
        ChatRequest request = parser.parse(body);
        EndUser endUser = endUser(req, request);
        boolean includeCost = "1".equals(req.header("x-include-cost"))
                || "true".equalsIgnoreCase(req.header("x-include-cost"));
        if (request.stream()) {
            StreamingObserver out = new StreamingObserver(sink, headers, request.includeUsage(), includeCost);
            ChatOutcome outcome;
            try {
                outcome = chat.complete(who, request, endUser, requestId, out);
            } finally {
                out.release();
            }
            if (outcome instanceof ChatOutcome.Rejected r) {
                Responses.sendError(sink, json, headers, r.failure());
            } else if (!(outcome instanceof ChatOutcome.ClientGone)) {
                sink.close();
            }
        } else {
            BufferingObserver out = new BufferingObserver();
            ChatOutcome outcome = chat.complete(who, request, endUser, requestId, out);
            switch (outcome) {
                case ChatOutcome.Rejected r -> Responses.sendError(sink, json, headers, r.failure());
                case ChatOutcome.Failed f -> Responses.sendError(sink, json, headers, f.failure());
                case ChatOutcome.Completed c -> Responses.send(sink, 200, headers, Responses.JSON,
                        shapes.completion(out.id, out.created, out.text.toString(), out.toolCalls(), c.reason(),
                                c.usage(), includeCost));
                case ChatOutcome.ClientGone g -> sink.close();
            }
        }
    }

    private static EndUser endUser(HttpRequest req, ChatRequest request) {
        String user = IdentityHeaders.decode("X-User-Id", req.header("x-user-id"));
        String name = IdentityHeaders.decode("X-User-Name", req.header("x-user-name"));
        String session = IdentityHeaders.decode("X-Session-Id", req.header("x-session-id"));
        user = user != null ? user : request.user();
        name = name != null ? name : request.userName();
        // Kept with every usage record: most requests name nobody, and share one instance.
        if (user == null && name == null && session == null) return EndUser.NONE;
        return new EndUser(user, name, session);
    }

    /** Collects the reply for one JSON response. */
    private static final class BufferingObserver implements ChatObserver {
        final StringBuilder text = new StringBuilder();
        private final List<String> callIds = new ArrayList<>();
        private final List<String> callNames = new ArrayList<>();
        private final List<StringBuilder> callArguments = new ArrayList<>();
        String id;
        long created;

        @Override
        public void begin(String completionId, long createdEpochSeconds) {
            id = completionId;
            created = createdEpochSeconds;
        }

        @Override
        public void delta(String piece) {
            text.append(piece);
        }

        @Override
        public void toolCall(int index, String callId, String name, String argumentsFragment) {
            if (callId != null && index == callIds.size()) {
                callIds.add(callId);
                callNames.add(name);
                callArguments.add(new StringBuilder());
            }
            if (index < callArguments.size()) callArguments.get(index).append(argumentsFragment);
        }

        List<ChatJson.ToolCall> toolCalls() {
            List<ChatJson.ToolCall> calls = new ArrayList<>(callIds.size());
            for (int i = 0; i < callIds.size(); i++) {
                calls.add(new ChatJson.ToolCall(callIds.get(i), callNames.get(i), callArguments.get(i).toString()));
            }
            return calls;
        }

        @Override
        public void keepAlive() {
        }

        @Override
        public void end(FinishReason reason, TokenUsage usage) {
        }

        @Override
        public void fail(Failure failure) {
        }
    }

    /** Writes each event as it comes, one flushed write per SSE event. */
    private final class StreamingObserver implements ChatObserver {
        private final ResponseSink sink;
        private final Map<String, List<String>> headers;
        private final boolean includeUsage;
        private final boolean includeCost;
        private ChatJson.Chunks chunks;

        StreamingObserver(ResponseSink sink, Map<String, List<String>> headers, boolean includeUsage,
                          boolean includeCost) {
            this.sink = sink;
            this.headers = headers;
            this.includeUsage = includeUsage;
            this.includeCost = includeCost;
        }

        @Override
        public void begin(String completionId, long createdEpochSeconds) throws IOException {
            chunks = shapes.chunks(completionId, createdEpochSeconds);
            Responses.put(headers, "content-type", "text/event-stream; charset=utf-8");
            Responses.put(headers, "cache-control", "no-cache");
            Responses.put(headers, "x-accel-buffering", "no");
            sink.start(200, headers, -1);
            emit(chunks.content("assistant", "", includeUsage));
        }

        @Override
        public void delta(String text) throws IOException {
            emit(chunks.content(null, text, includeUsage));
        }

        @Override
        public void toolCall(int index, String callId, String name, String argumentsFragment) throws IOException {
            if (callId != null) {
                emit(chunks.toolCallOpening(index, callId, name, includeUsage));
            }
            if (!argumentsFragment.isEmpty()) {
                emit(chunks.toolCallArguments(index, argumentsFragment, includeUsage));
            }
        }

        @Override
        public void keepAlive() throws IOException {
            sink.write(SseFrames.KEEP_ALIVE);
        }

        @Override
        public void end(FinishReason reason, TokenUsage usage) throws IOException {
            if (includeUsage) {
                emit(chunks.finish(reason, true, null, includeCost));
                emit(chunks.usage(usage, includeCost));
            } else {
                emit(chunks.finish(reason, false, usage, includeCost));
            }
            sink.write(SseFrames.DONE);
        }

        @Override
        public void fail(Failure failure) throws IOException {
            emit(Responses.bytes(json, Responses.envelope(json, failure)));
            sink.write(SseFrames.DONE);
        }

        private void emit(byte[] json) throws IOException {
            sink.write(SseFrames.data(json));
        }

        /** Gives the chunk writer's buffers back, whatever the outcome. */
        void release() {
            if (chunks != null) chunks.close();
        }
    }
}
