package ai.sentx.local;

import ai.sentx.content.ClamdScanner;
import ai.sentx.content.EicarScanner;
import ai.sentx.port.BlobStore;
import ai.sentx.port.MalwareScanner;
import ai.sentx.storage.DiskBlobStore;
import ai.sentx.storage.S3BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Where the local server keeps uploaded files' bytes and how it scans them, as
 * {@link LocalConfig.FilesConfig} says: a directory (a temporary one by default) or an S3 bucket;
 * the built-in EICAR scanner or a ClamAV daemon.
 *
 * @param temporary the temporary directory to remove at close, or {@code null}
 * @param s3        the S3 client to close, or {@code null}
 */
record LocalFiles(BlobStore blobs, MalwareScanner scanner, Path temporary, S3Client s3) implements AutoCloseable {

    static LocalFiles open(LocalConfig.FilesConfig config) {
        MalwareScanner scanner = config.clamdHost() != null
                ? new ClamdScanner(config.clamdHost(), config.clamdPort())
                : new EicarScanner();
        if (config.bucket() != null) {
            S3ClientBuilder builder = S3Client.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(config.s3Region()))
                    .credentialsProvider(config.localCredentials()
                            ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                            : DefaultCredentialsProvider.builder().build());
            if (config.s3Endpoint() != null) builder.endpointOverride(config.s3Endpoint()).forcePathStyle(true);
            S3Client s3 = builder.build();
            return new LocalFiles(new S3BlobStore(s3, config.bucket()), scanner, null, s3);
        }
        try {
            if (config.directory() != null) {
                return new LocalFiles(new DiskBlobStore(config.directory()), scanner, null, null);
            }
            Path temporary = Files.createTempDirectory("sentx-files-");
            return new LocalFiles(new DiskBlobStore(temporary), scanner, temporary, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the files directory", e);
        }
    }

    /** A one-line description for the banner. */
    static String describe(LocalConfig.FilesConfig config) {
        String where = config.bucket() != null ? "S3 bucket " + config.bucket()
                + (config.s3Endpoint() == null ? "" : " at " + config.s3Endpoint())
                : config.directory() != null ? config.directory().toString()
                : "a temporary directory (gone when the server stops)";
        String scan = config.clamdHost() != null ? "clamd " + config.clamdHost() + ":" + config.clamdPort()
                : "the built-in EICAR scanner";
        return where + ", scanned by " + scan;
    }

    @Override
    public void close() {
        if (s3 != null) s3.close();
        if (temporary != null) deleteTree(temporary);
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // The system's temporary directory cleanup removes what is left.
        }
    }
}
