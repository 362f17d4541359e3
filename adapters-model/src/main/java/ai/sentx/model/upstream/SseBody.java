package ai.sentx.model.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of a 200 answer to {@code POST /chat/completions}, read as it arrives: the bytes are
 * decoded as server-sent events ({@link SseDecoder}), each event's chunk is read ({@link ChunkReader})
 * and what it yields is pushed to the {@link RelayStream}. The HTTP client calls it one call at a
 * time (Flow rules), on its own threads.
 */
final class SseBody implements HttpResponse.BodySubscriber<byte[]>, SseDecoder.Events, RelayStream.Source {
    private static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;
    private static final CompletableFuture<byte[]> NO_BODY = CompletableFuture.completedFuture(new byte[0]);

    private final RelayStream relay;
    private final SseDecoder decoder = new SseDecoder(MAX_EVENT_BYTES);
    private final ChunkReader reader;
    private final List<Object> items = new ArrayList<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    SseBody(RelayStream relay, ObjectMapper json) {
        this.relay = relay;
        this.reader = new ChunkReader(json);
    }

    /** Complete at once: the response is handed over as soon as its headers arrive. */
    @Override
    public CompletionStage<byte[]> getBody() {
        return NO_BODY;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        relay.attach(this);
        if (cancelled) s.cancel();
        else s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        items.clear();
        if (!reader.done()) {
            try {
                for (ByteBuffer b : buffers) decoder.feed(b, this);
            } catch (IOException | RuntimeException e) {
                items.add(UpstreamFailures.unreadable());
            }
        }
        boolean last = reader.done() || (!items.isEmpty() && items.getLast() instanceof Exception);
        if (relay.push(items, reader.generating(), last)) request(1);
    }

    @Override
    public void data(byte[] bytes, int length) throws IOException {
        if (!reader.done()) reader.read(bytes, length, items);
    }

    @Override
    public void onError(Throwable throwable) {
        relay.sourceEnded(UpstreamFailures.connectionLost());
    }

    @Override
    public void onComplete() {
        Object end = reader.endOfBody();
        if (end != null) relay.sourceEnded(end);
    }

    @Override
    public void request(long n) {
        Flow.Subscription s = subscription;
        if (s != null && !cancelled) s.request(n);
    }

    /** Cancelling the subscription makes the HTTP client drop the connection (or reset the h2 stream). */
    @Override
    public void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }
}
