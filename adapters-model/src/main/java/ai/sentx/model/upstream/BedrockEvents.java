package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.port.ModelEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * Bedrock's {@code ConverseStream} events, one at a time on the SDK's threads, turned into what the
 * {@link RelayStream} hands out: text deltas; a tool call opened by each {@code toolUse} block start
 * (numbered from 0 in order) and continued by its {@code input} deltas; and the end, with the finish
 * reason of {@code messageStop} and the usage of the {@code metadata} event that follows it.
 * Reasoning deltas count as generation (for the first-token timeout) and are not relayed.
 */
final class BedrockEvents implements Subscriber<ConverseStreamOutput>, RelayStream.Source {
    private final RelayStream relay;
    private final Map<Integer, Integer> toolIndexes = new HashMap<>(4);
    private final List<Object> items = new ArrayList<>();
    private volatile Subscription subscription;
    private volatile boolean cancelled;
    // Written only by the SDK's delivering thread (one event at a time).
    private FinishReason finish;
    private boolean generating;
    private boolean done;

    BedrockEvents(RelayStream relay) {
        this.relay = relay;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        relay.attach(this);
        if (cancelled) s.cancel();
        else s.request(1);
    }

    @Override
    public void onNext(ConverseStreamOutput event) {
        items.clear();
        if (!done) read(event);
        if (relay.push(items, generating, done)) request(1);
    }

    @Override
    public void onError(Throwable t) {
        failed(t);
    }

    @Override
    public void onComplete() {
        if (done) return;
        done = true;
        relay.sourceEnded(finish != null ? new RelayStream.End(finish, null) : UpstreamFailures.endedEarly());
    }

    /** The call failed (before or during the stream); ignored once the reply ended. */
    void failed(Throwable t) {
        relay.sourceEnded(BedrockFailures.of(t));
    }

    @Override
    public void request(long n) {
        Subscription s = subscription;
        if (s != null && !cancelled) s.request(n);
    }

    @Override
    public void cancel() {
        cancelled = true;
        Subscription s = subscription;
        if (s != null) s.cancel();
    }

    private void read(ConverseStreamOutput event) {
        switch (event) {
            case ContentBlockStartEvent e -> {
                ToolUseBlockStart tool = e.start() == null ? null : e.start().toolUse();
                if (tool != null) {
                    generating = true;
                    openCall(e.contentBlockIndex(), tool.toolUseId(), tool.name());
                }
            }
            case ContentBlockDeltaEvent e -> {
                ContentBlockDelta d = e.delta();
                if (d == null) return;
                if (d.text() != null && !d.text().isEmpty()) {
                    generating = true;
                    items.add(new ModelEvent.TextDelta(d.text()));
                }
                if (d.reasoningContent() != null) generating = true;
                if (d.toolUse() != null) {
                    generating = true;
                    Integer index = toolIndexes.get(e.contentBlockIndex());
                    if (index == null) index = openCall(e.contentBlockIndex(), null, null);
                    String input = d.toolUse().input();
                    if (input != null && !input.isEmpty()) {
                        items.add(new ModelEvent.ToolCallDelta(index, null, null, input));
                    }
                }
            }
            case MessageStopEvent e -> finish = finishReason(e.stopReasonAsString());
            case ConverseStreamMetadataEvent e -> {
                done = true;
                TokenUsage u = e.usage();
                RelayStream.Usage usage = u == null || u.inputTokens() == null || u.outputTokens() == null ? null
                        : new RelayStream.Usage(u.inputTokens(), u.outputTokens());
                items.add(new RelayStream.End(finish == null ? FinishReason.STOP : finish, usage));
            }
            default -> {
                // messageStart, contentBlockStop and events this version does not use
            }
        }
    }

    private int openCall(Integer blockIndex, String id, String name) {
        int index = toolIndexes.size();
        toolIndexes.put(blockIndex, index);
        items.add(new ModelEvent.ToolCallDelta(index, id == null || id.isEmpty() ? newCallId() : id,
                name == null ? "" : name, ""));
        return index;
    }

    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) return FinishReason.STOP;
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "content_filtered", "guardrail_intervened" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    private static String newCallId() {
        return "call_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    }
}
