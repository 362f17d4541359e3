package ai.sentx.model.upstream;

import ai.sentx.domain.files.FileFormat;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * A model on Amazon Bedrock, called with the AWS SDK's {@code ConverseStream} (the async client on
 * Netty, HTTP/1.1): the request is mapped by {@link BedrockRequests}, the events by
 * {@link BedrockEvents}, and the reply handed out by a {@link RelayStream} exactly as the
 * OpenAI-compatible backend does (timeouts, flow control, cancellation, counting).
 *
 * <p><b>Opening.</b> {@link #open} returns when Bedrock has answered with its initial response. A
 * call refused for throttling, a 5xx or a connection failure is tried once more, after
 * {@value OpenAiCompatibleBackend#RETRY_PAUSE_MS} ms, and no more. Failures
 * are mapped by {@link BedrockFailures}: {@code ValidationException} is {@code REJECTED}, a model or
 * connect timeout {@code TIMEOUT}, the rest {@code UPSTREAM_ERROR}.
 *
 * <p><b>Counting.</b> The hold's estimate is {@link ai.sentx.model.PromptTokenCounter}'s; the bill uses the
 * {@code metadata} event's {@code inputTokens} and {@code outputTokens}.
 *
 * <p><b>Limits.</b> Only what {@code ModelRequest} carries is mapped: text and images. Documents
 * and video need content parts the domain does not have yet. Bedrock models have their own output
 * limits: set the server's default output budget to the model's (a larger one is a
 * {@code ValidationException}).
 *
 * <p>Thread-safe. {@link #close} closes the SDK client and its connections.
 */
public final class BedrockBackend extends RelayingBackend {
    private final BedrockConfig config;
    private final SdkAsyncHttpClient http;
    private final BedrockRuntimeAsyncClient client;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param maxOutputTokens the budget of a request that names none
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException if {@code maxOutputTokens} is negative
     */
    public BedrockBackend(BedrockConfig config, long maxOutputTokens) {
        super(maxOutputTokens);
        this.config = Objects.requireNonNull(config, "config");
        Duration longestSilence = config.firstTokenTimeout().compareTo(config.idleTimeout()) > 0
                ? config.firstTokenTimeout() : config.idleTimeout();
        this.http = NettyNioAsyncHttpClient.builder()
                .protocol(Protocol.HTTP1_1)
                .connectionTimeout(config.connectTimeout())
                // The stream's own timeouts come first; Netty's read timeout is only a backstop.
                .readTimeout(longestSilence.plusSeconds(5))
                .maxConcurrency(1_000)
                .build();
        BedrockRuntimeAsyncClientBuilder b = BedrockRuntimeAsyncClient.builder()
                .region(Region.of(config.region()))
                .httpClient(http)
                // The one retry before the first byte is this class's (the SDK does not retry event streams).
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (config.endpoint() != null) b.endpointOverride(config.endpoint());
        if (config.credentials() != null) b.credentialsProvider(config.credentials());
        this.client = b.build();
    }

    public BedrockConfig config() {
        return config;
    }


    /** Converse reads pdf, csv, docx, xlsx, txt and md as documents, and mp4, webm and mov as video. */
    @Override
    public Set<FileFormat> nativeFormats() {
        return BedrockRequests.NATIVE_FORMATS;
    }

    @Override
    public long maxNativeBytes() {
        return BedrockRequests.MAX_NATIVE_BYTES;
    }



    /**
     * Sends the request and waits for Bedrock's initial response.
     *
     * @throws ModelBackendException as described on the class
     */
    @Override
    ModelStream open(ModelRequest request, LongSupplier promptEstimate, long budget) throws ModelBackendException {
        ConverseStreamRequest converse = BedrockRequests.converseStream(request, config.modelId(), budget, json);
        long started = System.nanoTime();
        long deadline = started + config.firstTokenTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            RelayStream stream = new RelayStream(tokenizer, promptEstimate, budget, started,
                    config.firstTokenTimeout(), config.idleTimeout());
            BedrockEvents events = new BedrockEvents(stream);
            CompletableFuture<Void> accepted = new CompletableFuture<>();
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .onResponse(response -> accepted.complete(null))
                    .onEventStream(publisher -> publisher.subscribe(events))
                    .onError(error -> {
                        accepted.completeExceptionally(error);
                        events.failed(error);
                    })
                    .build();
            CompletableFuture<Void> call = client.converseStream(converse, handler);
            stream.alsoCancel(call);
            call.whenComplete((ok, error) -> {
                if (error != null) accepted.completeExceptionally(error);
            });
            try {
                accepted.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return stream;
            } catch (TimeoutException e) {
                call.cancel(true);
                throw UpstreamFailures.firstTokenTimeout();
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw UpstreamFailures.interrupted();
            } catch (ExecutionException e) {
                if (attempt == 1 && BedrockFailures.retryable(e) && pauseBeforeRetry(deadline)) continue;
                throw BedrockFailures.of(e);
            }
        }
    }

    /** Sleeps before the one retry, if the first-token deadline leaves room for it. */
    private static boolean pauseBeforeRetry(long deadline) throws ModelBackendException {
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(OpenAiCompatibleBackend.RETRY_PAUSE_MS);
        if (deadline - System.nanoTime() <= pauseNanos) return false;
        try {
            Thread.sleep(OpenAiCompatibleBackend.RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamFailures.interrupted();
        }
        return true;
    }

    @Override
    public void close() {
        client.close();
        http.close();
    }

    @Override
    public String toString() {
        return "BedrockBackend[" + config + "]";
    }
}
