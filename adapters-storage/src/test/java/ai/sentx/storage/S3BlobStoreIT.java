package ai.sentx.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.files.FileRules;
import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import ai.sentx.port.contract.BlobStoreContract;
import com.adobe.testing.s3mock.junit5.S3MockExtension;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Runs the {@link BlobStoreContract} on {@link S3BlobStore} against S3Mock, and checks what only
 * S3 needs: the key prefix, the stored content type and checksum, how S3 errors are translated,
 * the factory, and that a put of the largest file holds little of it in the heap.
 *
 * <p>S3Mock (a Spring Boot app, about 6 s to start) runs once for the whole class, and this is the
 * module's only class that starts it; each contract case gets a fresh bucket.
 */
class S3BlobStoreIT implements BlobStoreContract {
    private static final String ACCESS_KEY = "AKIAEXAMPLEACCESSKEY";
    private static final String SECRET_KEY = "example-secret-that-must-never-be-shown";
    /** Less heap than the file: a put that held the file in one array could not even run. */
    private static final String CHILD_HEAP = "-Xmx20m";
    private static final long RETAINED_LIMIT = 4L * 1024 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withSecureConnection(false).build();

    private static S3Client s3;

    @BeforeAll
    static void connect() {
        s3 = client(URI.create(S3_MOCK.getServiceEndpoint()));
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    @Override
    public BlobStore newBlobStore() {
        return new S3BlobStore(s3, freshBucket());
    }

    @Test
    void keepsObjectsUnderThePrefix_whenOneIsGiven(@TempDir Path dir) throws IOException {
        String bucket = freshBucket();
        S3BlobStore store = new S3BlobStore(s3, bucket, "sentx/");
        Path source = Files.writeString(dir.resolve("a.txt"), "prefixed");

        store.put("files/acct_1/file-a", source, Files.size(source), "text/plain");

        assertEquals(8L, s3.headObject(head -> head.bucket(bucket).key("sentx/files/acct_1/file-a")).contentLength());
        try (InputStream in = store.open("files/acct_1/file-a")) {
            assertArrayEquals("prefixed".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        store.delete("files/acct_1/file-a");
        assertEquals(0, s3.listObjectsV2(list -> list.bucket(bucket)).keyCount());
    }

    @Test
    void storesTheContentType_andTheSdksDefaultCrc32Checksum(@TempDir Path dir) throws IOException {
        String bucket = freshBucket();
        Path source = Files.writeString(dir.resolve("a.pdf"), "%PDF-1.7 not really");

        new S3BlobStore(s3, bucket).put("files/acct_1/file-a", source, Files.size(source), "application/pdf");

        HeadObjectResponse head = s3.headObject(h -> h.bucket(bucket).key("files/acct_1/file-a").checksumMode(ChecksumMode.ENABLED));
        assertEquals("application/pdf", head.contentType());
        assertNotNull(head.checksumCRC32(), "the SDK's default CRC32 reached the server with the object");
    }

    @Test
    void failsTheReadWithAnIOException_whenTheBytesDoNotMatchTheirChecksum(@TempDir Path dir) throws IOException {
        String bucket = freshBucket();
        Path source = Files.writeString(dir.resolve("a.txt"), "bytes that arrive altered");
        new S3BlobStore(s3, bucket).put("files/acct_1/file-a", source, Files.size(source), "text/plain");
        try (S3Client altering = S3Client.builder()
                .endpointOverride(URI.create(S3_MOCK.getServiceEndpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new FlipsTheFirstByteOfEveryBody()))
                .build();
             InputStream in = new S3BlobStore(altering, bucket).open("files/acct_1/file-a")) {

            IOException failure = assertThrows(IOException.class, in::readAllBytes);

            assertTrue(failure.getMessage().startsWith("S3 GetObject of s3://" + bucket + "/files/acct_1/file-a failed while reading"),
                    failure.getMessage());
        }
    }

    @Test
    void storesOctetStream_whenNoContentTypeIsGiven(@TempDir Path dir) throws IOException {
        String bucket = freshBucket();
        Path source = Files.writeString(dir.resolve("a.bin"), "raw");

        new S3BlobStore(s3, bucket).put("files/acct_1/file-a", source, Files.size(source), null);

        assertEquals("application/octet-stream", s3.headObject(h -> h.bucket(bucket).key("files/acct_1/file-a")).contentType());
    }

    @Test
    void failsWithAStoreErrorNamingTheBucket_notNotFound_whenTheBucketIsMissing(@TempDir Path dir) throws IOException {
        S3BlobStore store = new S3BlobStore(s3, "no-such-bucket");
        Path source = Files.writeString(dir.resolve("a.txt"), "x");

        List<BlobStoreException> failures = List.of(
                assertThrows(BlobStoreException.class, () -> store.open("files/acct_1/file-a")),
                assertThrows(BlobStoreException.class, () -> store.put("files/acct_1/file-a", source, 1, "text/plain")),
                assertThrows(BlobStoreException.class, () -> store.delete("files/acct_1/file-a")));

        for (BlobStoreException failure : failures) {
            assertFalse(failure instanceof BlobStoreException.NotFound, failure.getMessage());
            assertTrue(failure.getMessage().contains("s3://no-such-bucket/files/acct_1/file-a"), failure.getMessage());
            assertTrue(failure.getMessage().contains("NoSuchBucket"), failure.getMessage());
            assertNoCredentialsIn(failure.getMessage());
        }
    }

    @Test
    void failsWithAStoreError_whenS3CannotBeReached() {
        try (S3Client unreachable = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build()) {
            S3BlobStore store = new S3BlobStore(unreachable, "a-bucket");

            BlobStoreException failure = assertThrows(BlobStoreException.class, () -> store.open("files/acct_1/file-a"));

            assertFalse(failure instanceof BlobStoreException.NotFound);
            assertEquals("S3 GetObject of s3://a-bucket/files/acct_1/file-a failed: SdkClientException", failure.getMessage());
        }
    }

    @Test
    void createBuildsAStore_thatReachesAnS3CompatibleEndpointPathStyle(@TempDir Path dir) throws IOException {
        String bucket = freshBucket();
        Path source = Files.writeString(dir.resolve("a.txt"), "from the factory");
        // The default credentials chain reads these system properties first.
        Map<String, String> credentials = Map.of("aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY);
        credentials.forEach(System::setProperty);
        try {
            S3BlobStore store = S3BlobStore.create(bucket, "eu-west-1", URI.create(S3_MOCK.getServiceEndpoint()));

            store.put("files/acct_1/file-a", source, Files.size(source), "text/plain");

            try (InputStream in = store.open("files/acct_1/file-a")) {
                assertEquals("from the factory", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            credentials.keySet().forEach(System::clearProperty);
        }
    }

    /**
     * Puts the largest accepted file through {@link S3BlobStore} in a JVM of its own whose heap
     * is smaller than the file, and checks the heap the put kept alive (see {@link PutInASmallHeap}
     * for how it is measured). A control run, which reads the file into a byte array first, shows
     * the measurement can fail: it does not fit.
     */
    @Test
    void retainsFarLessHeapThanTheFile_whilePuttingTheLargestAcceptedFile(@TempDir Path dir) throws Exception {
        String bucket = freshBucket();
        Path file = randomFile(dir.resolve("largest.bin"), FileRules.MAX_FILE_BYTES);

        ChildRun streaming = putInAChildJvm(bucket, "files/acct_1/file-streamed", file, "streaming");

        assertEquals(0, streaming.exitCode(), streaming.output());
        Matcher figures = Pattern.compile("retained=(\\d+) allocated=(\\d+) collections=(\\d+) baseline=(\\d+)").matcher(streaming.output());
        assertTrue(figures.find(), streaming.output());
        long retained = Long.parseLong(figures.group(1));
        long allocated = Long.parseLong(figures.group(2));
        int collections = Integer.parseInt(figures.group(3));
        long baseline = Long.parseLong(figures.group(4));
        System.out.printf("S3BlobStore put of %d bytes in %s: retained heap growth %d bytes (%.2f MiB) over a baseline "
                        + "of %.1f MiB, allocated by the putting thread %d bytes (%.1f MiB), %d collections during the put%n",
                FileRules.MAX_FILE_BYTES, CHILD_HEAP, retained, retained / 1048576.0, baseline / 1048576.0,
                allocated, allocated / 1048576.0, collections);
        assertTrue(collections >= 1, "no collection ran during the put, so nothing was measured: " + streaming.output());
        assertTrue(retained < RETAINED_LIMIT, "the put kept " + retained + " bytes alive at once");
        try (InputStream in = new S3BlobStore(s3, bucket).open("files/acct_1/file-streamed")) {
            assertEquals(sha256(Files.newInputStream(file)), sha256(in), "the object is the whole file");
        }

        ChildRun buffered = putInAChildJvm(bucket, "files/acct_1/file-buffered", file, "buffered");

        assertTrue(buffered.exitCode() != 0 && buffered.output().contains("OutOfMemoryError"),
                "a put that buffers the file must not fit in " + CHILD_HEAP + ": " + buffered.output());
    }

    /** Alters response bodies on the wire, before the SDK checks them against their CRC32. */
    private static final class FlipsTheFirstByteOfEveryBody implements ExecutionInterceptor {
        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes executionAttributes) {
            return context.responseBody().map(body -> new FilterInputStream(body) {
                private boolean flipped;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0 || flipped) return b;
                    flipped = true;
                    return b ^ 0xFF;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = super.read(buffer, off, len);
                    if (n > 0 && !flipped) {
                        buffer[off] ^= (byte) 0xFF;
                        flipped = true;
                    }
                    return n;
                }
            });
        }
    }

    private record ChildRun(int exitCode, String output) {
    }

    private static ChildRun putInAChildJvm(String bucket, String key, Path file, String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), CHILD_HEAP,
                // Lambda's JVMs (one or two vCPUs, small heaps) run the serial collector too.
                "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                PutInASmallHeap.class.getName(),
                S3_MOCK.getServiceEndpoint(), bucket, key, file.toString(), mode));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = child.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish: " + output);
        }
        return new ChildRun(child.exitValue(), output);
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static String freshBucket() {
        String bucket = "blobs-" + BUCKETS.incrementAndGet();
        s3.createBucket(create -> create.bucket(bucket));
        return bucket;
    }

    private static void assertNoCredentialsIn(String message) {
        assertFalse(message.contains(ACCESS_KEY), message);
        assertFalse(message.contains(SECRET_KEY), message);
        assertFalse(message.contains("Signature"), message);
    }

    private static Path randomFile(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    private static String sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }
}
