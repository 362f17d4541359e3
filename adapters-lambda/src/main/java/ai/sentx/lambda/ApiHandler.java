package ai.sentx.lambda;

import ai.sentx.http.HttpApi;
import ai.sentx.lambda.runtime.BufferedSink;
import ai.sentx.lambda.runtime.FunctionUrlRequest;
import ai.sentx.lambda.runtime.IntegrationResponse;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The buffered API functions on the managed {@code java21} runtime (template.yaml:
 * {@code StripeWebhookFunction} and {@code AccountApiFunction}, function URLs in {@code BUFFERED}
 * mode): the same {@link HttpApi} as the streaming function, for routes that never stream. The
 * event (payload format 2.0) is mapped as the streaming runtime maps it; the response is the whole
 * body, base64 unless it is text.
 *
 * <p>SnapStart: the constructor only loads classes ({@link Warmup}); the wiring, which reads the
 * secrets, is built on the first invocation, so each restored execution environment reads them
 * once and no secret lives in a snapshot.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Supplier<HttpApi> api;
    private volatile HttpApi wired;

    /** The constructor Lambda calls: primes the classes; wires on first use from the environment. */
    public ApiHandler() {
        this(() -> AwsApplication.fromEnvironment().api());
        Warmup.run(false);
    }

    /** @param api builds the API on first use (tests pass one wired to a fake) */
    public ApiHandler(Supplier<HttpApi> api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /**
     * Serves one request.
     *
     * @throws FunctionUrlRequest.InvalidEventException if the event is not an HTTP request (Lambda
     *                                                  reports it as a failed invocation)
     */
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null) {
            throw new FunctionUrlRequest.InvalidEventException("the event is not a function-URL request (payload format 2.0)");
        }
        String path = event.getRawPath() != null ? event.getRawPath() : event.getRequestContext().getHttp().getPath();
        if (path == null) throw new FunctionUrlRequest.InvalidEventException("the event has no rawPath");
        FunctionUrlRequest request = FunctionUrlRequest.of(event.getRequestContext().getHttp().getMethod(), path,
                event.getRawQueryString(), event.getHeaders(), event.getCookies(), event.getBody(),
                event.getIsBase64Encoded());
        BufferedSink sink = new BufferedSink();
        api().handle(request.toHttpRequest(), sink);
        if (!sink.started()) throw new IllegalStateException("the API returned without answering");
        return response(sink);
    }

    private HttpApi api() {
        HttpApi current = wired;
        if (current == null) {
            synchronized (this) {
                if (wired == null) wired = api.get();
                current = wired;
            }
        }
        return current;
    }

    private static APIGatewayV2HTTPResponse response(BufferedSink sink) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = List.of();
        for (Map.Entry<String, List<String>> e : sink.headers().entrySet()) {
            if (e.getKey().equalsIgnoreCase("set-cookie")) {
                cookies = List.copyOf(e.getValue());
            } else if (!e.getValue().isEmpty()) {
                headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), String.join(", ", e.getValue()));
            }
        }
        boolean text = IntegrationResponse.isText(sink.headers());
        byte[] body = sink.body();
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(sink.status())
                .withHeaders(headers)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(!text)
                .build();
    }
}
