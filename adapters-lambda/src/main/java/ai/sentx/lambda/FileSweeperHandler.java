package ai.sentx.lambda;

import ai.sentx.application.SweepExpiredFiles;
import ai.sentx.persistence.dynamodb.DynamoDbFileCatalog;
import ai.sentx.persistence.dynamodb.TableNames;
import ai.sentx.storage.S3BlobStore;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduled file sweeper (template.yaml: {@code FileSweeperFunction}, hourly): removes files
 * past their 30 days from the catalogue, the accounts' caps and S3 ({@link SweepExpiredFiles}).
 * Reads {@code SENTX_FILES_BUCKET} (and {@code SENTX_S3_REGION}, {@code SENTX_S3_ENDPOINT}) besides
 * the DynamoDB settings of {@link AwsConfig}.
 */
public final class FileSweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final SweepExpiredFiles sweep;

    /** The constructor Lambda calls: wires the DynamoDB catalogue and the S3 store from the environment. */
    public FileSweeperHandler() {
        this(wire(AwsWiring.configFromEnvironment(), System.getenv()));
    }

    /** @param sweep the use case to run on each invocation */
    public FileSweeperHandler(SweepExpiredFiles sweep) {
        this.sweep = Objects.requireNonNull(sweep, "sweep");
    }

    /**
     * Sweeps once.
     *
     * @return {@code {"removed": n, "millis": t}}
     */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        long started = System.nanoTime();
        int removed = sweep.sweep();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (context != null && context.getLogger() != null) {
            context.getLogger().log("file sweep " + (event == null ? "" : event.getId()) + ": removed " + removed
                    + " expired files in " + millis + " ms");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("removed", removed);
        result.put("millis", millis);
        return result;
    }

    private static SweepExpiredFiles wire(AwsConfig config, Map<String, String> env) {
        String bucket = env.get("SENTX_FILES_BUCKET");
        if (bucket == null || bucket.isBlank()) throw new IllegalArgumentException("SENTX_FILES_BUCKET is not set");
        String region = env.getOrDefault("SENTX_S3_REGION", config.region());
        String endpoint = env.get("SENTX_S3_ENDPOINT");
        S3BlobStore blobs = S3BlobStore.create(bucket.strip(), region,
                endpoint == null || endpoint.isBlank() ? null : java.net.URI.create(endpoint.strip()));
        DynamoDbFileCatalog catalog = new DynamoDbFileCatalog(AwsWiring.dynamoDb(config), new TableNames(config.tablePrefix()));
        return new SweepExpiredFiles(catalog, blobs, Clock.systemUTC());
    }
}
