package ai.sentx.persistence.dynamodb;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.jvm.functions.Function1;
import org.http4k.connect.amazon.dynamodb.FakeDynamoDb;
import org.http4k.core.Request;
import org.http4k.core.Response;
import org.http4k.server.Http4kServer;
import org.http4k.server.SunHttp;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One http4k FakeDynamoDb per test JVM (TESTING.md), on a free loopback port, started on first
 * use and stopped when the JVM exits. Each test class takes its own tables ({@link #freshTables}),
 * which keeps them small: the fake scans a table's items for every request.
 *
 * <p>The fake applies a single-item write as an unsynchronised read-modify-write of the whole
 * table, so concurrent writes could be lost; it is served behind one lock, which gives it what
 * DynamoDB guarantees per item (every write is atomic). Transactions are atomic in it anyway.
 */
public final class FakeDynamoDbServer {
    private static final AtomicInteger TABLE_SETS = new AtomicInteger();
    private static volatile Http4kServer server;

    private FakeDynamoDbServer() {
    }

    /** The fake's endpoint, starting it if needed. */
    public static URI endpoint() {
        return URI.create("http://127.0.0.1:" + server().port());
    }

    /** A new SDK client of the fake (each caller closes its own, or leaves it to the JVM's end). */
    public static DynamoDbClient newClient() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fake", "fake")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A fresh set of every table under a prefix no other caller gets, created now. */
    public static TableNames freshTables(String purpose) {
        TableNames names = new TableNames("t" + TABLE_SETS.incrementAndGet() + "-" + purpose + "-");
        try (DynamoDbClient client = newClient()) {
            TableDefinitions.createMissing(client, names);
        }
        return names;
    }

    private static Http4kServer server() {
        Http4kServer running = server;
        if (running != null) return running;
        synchronized (FakeDynamoDbServer.class) {
            if (server == null) {
                FakeDynamoDb fake = new FakeDynamoDb();
                Object lock = new Object();
                Function1<Request, Response> serialised = request -> {
                    synchronized (lock) {
                        return fake.invoke(request);
                    }
                };
                Http4kServer started = new SunHttp(0).toServer(serialised).start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "fake-dynamodb-stop"));
                server = started;
            }
            return server;
        }
    }
}
