package ai.sentx.lambda;

import ai.sentx.lambda.runtime.LambdaRuntime;
import ai.sentx.lambda.runtime.RuntimeApi;
import java.io.IOException;

/**
 * The streaming function's entry point, started by the {@code bootstrap} script of the
 * {@code provided.al2023} zip: wires the API once ({@link AwsApplication}), then serves invocations
 * until Lambda ends the execution environment. A configuration that cannot be wired is reported to
 * {@code /runtime/init/error} (its message names the variable or secret, never a value) and the
 * process exits.
 */
public final class StreamingMain {
    private StreamingMain() {
    }

    /** Runs the runtime; exits with 1 when it cannot start or the Runtime API is gone. */
    public static void main(String[] args) {
        String endpoint = System.getenv("AWS_LAMBDA_RUNTIME_API");
        if (endpoint == null || endpoint.isBlank()) {
            System.err.println("sentx: AWS_LAMBDA_RUNTIME_API is not set: this runs inside Lambda (or under a fake of its Runtime API)");
            System.exit(1);
            return;
        }
        RuntimeApi api = new RuntimeApi(endpoint.strip());
        ApiConfig config;
        AwsApplication application;
        try {
            config = ApiConfig.from(System.getenv());
            application = AwsApplication.start(config,
                    software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build(),
                    java.time.Clock.systemUTC());
        } catch (RuntimeException | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            System.err.println("sentx: cannot start: " + message);
            try {
                api.initError(e instanceof IllegalArgumentException ? "Runtime.InvalidConfiguration" : "Runtime.InitError",
                        message);
            } catch (IOException reportFailed) {
                System.err.println("sentx: could not report the init error to the Runtime API");
            }
            System.exit(1);
            return;
        }
        LambdaRuntime runtime = new LambdaRuntime(api, application.api()::handle,
                new LambdaRuntime.Settings(config.buffered(), config.deadlineMargin()));
        try {
            runtime.run();
        } catch (IOException e) {
            System.err.println("sentx: the Runtime API is gone (" + e.getMessage() + "); exiting");
            System.exit(1);
        }
    }
}
