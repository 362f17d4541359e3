package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.persistence.dynamodb.FakeDynamoDbServer;
import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The server with the AWS adapters (DynamoDB tables, an S3 bucket), configured as the Fargate
 * container of the large-upload route is ({@code SENTX_DYNAMODB_*}, {@code SENTX_FILES_BUCKET},
 * {@code SENTX_S3_*}): a 25 MB upload through the Java SDK lands in S3 byte for byte, is served
 * back, used in chat, and deleted from the bucket.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilesOnAwsAdaptersIT {
    private static final String BUCKET = "sentx-files-it";

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder().silent().withSecureConnection(false)
            .withInitialBuckets(BUCKET).build();

    @Test
    void a25MBUpload_goesToS3_andBack(@TempDir Path dir) throws Exception {
        String endpoint = S3.getServiceEndpoint();
        try (LocalServer server = TestServers.start(
                "SENTX_DYNAMODB_ENDPOINT", FakeDynamoDbServer.endpoint().toString(),
                "SENTX_DYNAMODB_REGION", "eu-west-1",
                "SENTX_DYNAMODB_TABLE_PREFIX", "files-aws-",
                "SENTX_DYNAMODB_CREATE_TABLES", "true",
                "SENTX_FILES_BUCKET", BUCKET,
                "SENTX_S3_ENDPOINT", endpoint,
                "SENTX_S3_REGION", "eu-west-1");
             S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                     .region(Region.EU_WEST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .build()) {
            OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(server.demoApiKey())
                    .baseUrl(server.origin() + "/v1").maxRetries(0).timeout(Duration.ofSeconds(90)).build();
            try {
                run(client, s3, dir);
            } finally {
                client.close();
            }
        }
    }

    private static void run(OpenAIClient client, S3Client s3, Path dir) throws Exception {
        Path big = dir.resolve("big.csv");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] row = "2026-11-29,sensor-7,21.5,ok\n".getBytes();
            long written = 0;
            while (written + row.length <= 25L * 1024 * 1024) {
                out.write(row);
                written += row.length;
            }
            out.write("x".repeat((int) (25L * 1024 * 1024 - written)).getBytes());
        }
        assertEquals(25L * 1024 * 1024, Files.size(big));

        FileObject f = client.files().create(FileCreateParams.builder().file(big).purpose(FilePurpose.USER_DATA).build());
        assertEquals(Files.size(big), f.bytes());
        assertEquals(1, s3.listObjectsV2(b -> b.bucket(BUCKET)).keyCount());

        try (HttpResponse content = client.files().content(f.id()); InputStream in = content.body()) {
            assertEquals(sha256(Files.newInputStream(big)), sha256(in));
        }
        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sentx-v1").addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofFile(
                        ChatCompletionContentPart.File.builder().file(ChatCompletionContentPart.File.FileObject
                                .builder().fileId(f.id()).build()).build()))).build());
        assertTrue(answer.choices().getFirst().message().content().orElseThrow().contains("sensor-7"));
        // The huge prompt is counted (the cost stops at the 500-cent cap).
        assertTrue(answer.usage().orElseThrow().promptTokens() > 100_000);

        assertTrue(client.files().delete(f.id()).deleted());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(BUCKET)).keyCount());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, digest)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
