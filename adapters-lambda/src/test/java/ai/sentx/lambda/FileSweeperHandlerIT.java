package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.application.SweepExpiredFiles;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.persistence.dynamodb.DynamoDbFileCatalog;
import ai.sentx.persistence.dynamodb.FakeDynamoDbServer;
import ai.sentx.persistence.dynamodb.TableDefinitions;
import ai.sentx.persistence.dynamodb.TableNames;
import ai.sentx.port.BlobStoreException;
import ai.sentx.port.FileCatalog;
import ai.sentx.storage.S3BlobStore;
import com.adobe.testing.s3mock.junit5.S3MockExtension;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scheduled file sweeper on DynamoDB (FakeDynamoDb) and S3 (S3Mock): a file past its 30 days
 * leaves the catalogue, frees its share of the caps and loses its bytes; a live file stays.
 */
class FileSweeperHandlerIT {
    private static final String BUCKET = "sentx-sweeper-it";
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("filesweep");

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder().silent().withSecureConnection(false)
            .withInitialBuckets(BUCKET).build();

    @Test
    void removesExpiredFilesAndTheirBytes_andKeepsLiveOnes(@TempDir Path dir) throws Exception {
        TableDefinitions.createMissing(FakeDynamoDbServer.newClient(), TABLES);
        FileCatalog catalog = new DynamoDbFileCatalog(FakeDynamoDbServer.newClient(), TABLES);
        S3BlobStore blobs = new S3BlobStore(S3Client.builder().endpointOverride(URI.create(S3.getServiceEndpoint()))
                .forcePathStyle(true).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build(), BUCKET);
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        AccountId account = new AccountId("acct_" + UUID.randomUUID());
        StoredFile old = file(account, now.minus(Duration.ofDays(31)), "old");
        StoredFile live = file(account, now.minus(Duration.ofDays(2)), "live");
        Path bytes = Files.writeString(dir.resolve("b.txt"), "some text");
        for (StoredFile f : new StoredFile[] {old, live}) {
            blobs.put(f.blobKey(), bytes, Files.size(bytes), "text/plain");
            assertInstanceOf(FileCatalog.AddResult.Added.class, catalog.add(f, FileRules.MAX_LIVE_FILES, FileRules.MAX_STORED_BYTES));
        }

        FileSweeperHandler handler = new FileSweeperHandler(
                new SweepExpiredFiles(catalog, blobs, Clock.fixed(now, ZoneOffset.UTC)));
        Map<String, Object> result = handler.handleRequest(null, new TestContext());

        assertEquals(1, result.get("removed"));
        assertTrue(catalog.find(account, live.id(), now).isPresent());
        assertTrue(catalog.expired(account, now, 10).isEmpty());
        assertThrows(BlobStoreException.NotFound.class, () -> blobs.open(old.blobKey()).close());
        try (InputStream in = blobs.open(live.blobKey())) {
            assertEquals("some text", new String(in.readAllBytes()));
        }
        assertEquals(0, handler.handleRequest(null, new TestContext()).get("removed"));
    }

    private static StoredFile file(AccountId account, Instant created, String tag) {
        return new StoredFile("file-" + tag + UUID.randomUUID(), account, 9, created, created.plus(FileRules.RETENTION),
                tag + ".txt", "assistants", tag + UUID.randomUUID(), FileFormat.TXT);
    }
}
