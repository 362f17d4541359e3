package ai.sentx.lambda.runtime;

import ai.sentx.http.HttpRequest;
import ai.sentx.http.ResponseSink;

/** What the runtime serves: {@code HttpApi::handle} in production. */
@FunctionalInterface
public interface HttpHandler {
    /** Serves {@code request} to its end through {@code sink}. */
    void handle(HttpRequest request, ResponseSink sink);
}
