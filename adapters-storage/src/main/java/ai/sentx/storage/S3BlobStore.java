package ai.sentx.storage;

import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The {@link BlobStore} on one S3 bucket, optionally under a key prefix.
 *
 * <ul>
 *   <li>{@link #put} streams the file with {@link RequestBody#fromFile(Path)} (the SDK reads it in
 *       chunks and can re-read it on a retry; nothing holds the whole file in memory).
 *       Server-side encryption is left to the bucket's default (SSE-S3 or the bucket's KMS key):
 *       the adapter names no key, so the bucket policy alone decides.</li>
 *   <li>Integrity, on the way in, uses the SDK's default: a CRC32 of the body, sent as an
 *       {@code aws-chunked} trailer that S3 checks before it stores the object, and keeps. S3 and
 *       S3Mock both accept that encoding; an S3-compatible store that does not would need
 *       {@code requestChecksumCalculation(WHEN_REQUIRED)} on the client, which is the composition
 *       root's choice, not this class's. On the way out the SDK's default does not ask for the
 *       stored checksum, so {@link #open} does ({@code x-amz-checksum-mode: ENABLED}) and the SDK
 *       compares it with the bytes read: an altered body fails its last read.</li>
 *   <li>{@link #open} returns the GetObject response stream itself, so a read streams too.</li>
 * </ul>
 *
 * <p>Failures: a missing object is {@link BlobStoreException.NotFound}; every other SDK failure
 * (a missing bucket, denied access, throttling after the SDK's retries, a network error) is a
 * {@link BlobStoreException} whose message names the operation, bucket, key and S3 error code,
 * never credentials or request signatures. Thread-safe if the {@link S3Client} is (SDK clients are).
 */
public final class S3BlobStore implements BlobStore {
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /**
     * A store on {@code bucket} whose keys are the port's keys as they are.
     *
     * @param s3     the client (not {@code null}); the caller owns it and closes it, if ever
     * @param bucket the bucket name (not {@code null} or blank)
     * @throws IllegalArgumentException if {@code bucket} is blank
     */
    public S3BlobStore(S3Client s3, String bucket) {
        this(s3, bucket, "");
    }

    /**
     * A store on {@code bucket} that keeps the port's key {@code k} under the object key
     * {@code prefix + k} (so {@code "sentx/"} gives {@code sentx/files/...}).
     *
     * @param s3     the client (not {@code null}); the caller owns it and closes it, if ever
     * @param bucket the bucket name (not {@code null} or blank)
     * @param prefix prepended to every key as it is (not {@code null}; empty for none; must not start with {@code /})
     * @throws IllegalArgumentException if {@code bucket} is blank or {@code prefix} starts with {@code /}
     */
    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (bucket.isBlank()) throw new IllegalArgumentException("blank bucket name");
        if (prefix.startsWith("/")) throw new IllegalArgumentException("the key prefix must not start with /");
    }

    /**
     * A store on {@code bucket} with a client of its own, for composition roots: the URLConnection
     * HTTP client (small, fast cold start) and the SDK's default credentials chain (on Lambda, the
     * function's role). The client lives as long as the process.
     *
     * @param bucket           the bucket name (not {@code null} or blank)
     * @param region           the bucket's region, such as {@code eu-west-1} (not {@code null})
     * @param endpointOverride an S3-compatible endpoint (S3Mock, MinIO), addressed path-style; or
     *                         {@code null} for AWS's own endpoint of {@code region}
     * @throws IllegalArgumentException if {@code bucket} is blank
     */
    public static S3BlobStore create(String bucket, String region, URI endpointOverride) {
        Objects.requireNonNull(region, "region");
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create());
        if (endpointOverride != null) {
            // Local S3-compatible servers have no per-bucket DNS names.
            builder.endpointOverride(endpointOverride).forcePathStyle(true);
        }
        return new S3BlobStore(builder.build(), bucket);
    }

    /**
     * {@inheritDoc}
     *
     * @param key         the port's key (not {@code null} or empty; S3 allows any UTF-8 up to 1024 bytes)
     * @param source      a regular file of exactly {@code length} bytes (not {@code null})
     * @param length      the file's size
     * @param contentType stored as the object's {@code Content-Type}; {@code null} stores
     *                    {@code application/octet-stream}
     * @throws IllegalArgumentException if the key is empty or {@code length} is not the file's size
     * @throws BlobStoreException       if the file cannot be read or S3 fails
     */
    @Override
    public void put(String key, Path source, long length, String contentType) {
        String objectKey = objectKey(key);
        Objects.requireNonNull(source, "source");
        long size = sizeOf(source, key);
        if (size != length) {
            throw new IllegalArgumentException("length " + length + " is not the size of the source (" + size + " bytes)");
        }
        try {
            s3.putObject(put -> put.bucket(bucket).key(objectKey)
                            .contentLength(length)
                            .contentType(contentType == null ? DEFAULT_CONTENT_TYPE : contentType),
                    RequestBody.fromFile(source));
        } catch (SdkException e) {
            throw failure("PutObject", objectKey, e);
        }
    }

    /**
     * {@inheritDoc} The stream reads the GetObject response as it arrives; close it to free the
     * connection. A failure while reading (a reset connection, or bytes that do not match the CRC32
     * S3 stored, which the SDK checks at the end) is an {@link IOException}, as for any stream,
     * not the SDK's unchecked exception.
     *
     * @throws IllegalArgumentException      if the key is empty ({@code null} is a {@code NullPointerException})
     * @throws BlobStoreException.NotFound   if there is no object under the key
     * @throws BlobStoreException            if S3 fails otherwise (including a missing bucket)
     */
    @Override
    public InputStream open(String key) {
        String objectKey = objectKey(key);
        try {
            return new ReadFailures(s3.getObject(get -> get.bucket(bucket).key(objectKey).checksumMode(ChecksumMode.ENABLED)), bucket, objectKey);
        } catch (SdkException e) {
            if (isMissingObject(e)) throw new BlobStoreException.NotFound(key);
            throw failure("GetObject", objectKey, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the key is empty ({@code null} is a {@code NullPointerException})
     * @throws BlobStoreException       if S3 fails (including a missing bucket)
     */
    @Override
    public void delete(String key) {
        String objectKey = objectKey(key);
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            // S3 answers 204 for a missing key; some S3-compatible stores answer NoSuchKey instead.
            if (isMissingObject(e)) return;
            throw failure("DeleteObject", objectKey, e);
        }
    }

    private String objectKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) throw new IllegalArgumentException("empty blob key");
        return prefix + key;
    }

    private long sizeOf(Path source, String key) {
        try {
            return Files.size(source);
        } catch (IOException e) {
            throw new BlobStoreException("cannot read the source of " + key + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** A missing object, not a missing bucket: both are 404s, and only the first is {@code NotFound}. */
    private static boolean isMissingObject(SdkException e) {
        if (e instanceof NoSuchKeyException) return true;
        return e instanceof AwsServiceException service
                && service.statusCode() == 404
                && !"NoSuchBucket".equals(errorCode(service));
    }

    private BlobStoreException failure(String operation, String objectKey, SdkException e) {
        String detail = e instanceof AwsServiceException service
                ? "HTTP " + service.statusCode() + " " + errorCode(service)
                : e.getClass().getSimpleName();
        return new BlobStoreException("S3 " + operation + " of s3://" + bucket + "/" + objectKey + " failed: " + detail, e);
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "(no error code)" : e.awsErrorDetails().errorCode();
    }

    /** The response stream, with the SDK's unchecked read failures turned into {@link IOException}s. */
    private static final class ReadFailures extends FilterInputStream {
        private final String where;

        ReadFailures(InputStream response, String bucket, String objectKey) {
            super(response);
            this.where = "s3://" + bucket + "/" + objectKey;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SdkException e) {
                throw failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SdkException e) {
                throw failure(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (SdkException e) {
                throw failure(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (SdkException e) {
                throw failure(e);
            }
        }

        private IOException failure(SdkException e) {
            return new IOException("S3 GetObject of " + where + " failed while reading: " + e.getClass().getSimpleName(), e);
        }
    }
}
