package ai.sentx.storage;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.ThreadMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The child JVM of {@code S3BlobStoreIT}'s heap measurement: puts one file through
 * {@link S3BlobStore} (or, as the measurement's control, through a put that reads the file into a
 * byte array) and prints what the heap held.
 *
 * <p>It runs alone in its JVM so that nothing else (S3Mock, other tests) shares the heap. The
 * number that matters is <em>retained</em> heap: after every garbage collection during the put
 * the JVM reports the heap still in use; the largest such value minus the value after a full
 * collection just before the put is the most the put kept alive at once. Allocation (which a
 * streaming client may well do several times over, in short-lived chunk buffers) is printed too,
 * for the report. A small heap makes collections frequent, so the largest live set is observed.
 *
 * <p>Arguments: {@code endpoint bucket key file streaming|buffered}. Output: one line
 * {@code retained=<bytes> allocated=<bytes> collections=<n> baseline=<bytes>}, the last being the
 * heap in use after a full collection before the put (the warmed-up SDK and the JVM's own).
 */
public final class PutInASmallHeap {
    private PutInASmallHeap() {
    }

    /**
     * Runs one measured put.
     *
     * @param args endpoint, bucket, key, file and mode, as the class comment says
     * @throws Exception any failure, which ends the JVM with a non-zero status
     */
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        String key = args[2];
        Path file = Path.of(args[3]);
        boolean streaming = switch (args[4]) {
            case "streaming" -> true;
            case "buffered" -> false;
            default -> throw new IllegalArgumentException("mode is streaming or buffered");
        };
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("heap", "heap")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            S3BlobStore store = new S3BlobStore(s3, bucket);
            // Warm up: load and initialise the SDK so that its one-off structures are in the baseline.
            Path small = Files.writeString(Files.createTempFile("warm-up", ".txt"), "warm up");
            store.put(key + ".warm-up", small, Files.size(small), "text/plain");
            Files.delete(small);

            GcWatch gcs = GcWatch.watch();
            long baseline = gcs.collectAndReadUsedAfter();
            gcs.reset();
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

            long length = Files.size(file);
            if (streaming) {
                store.put(key, file, length, "application/octet-stream");
            } else {
                byte[] whole = Files.readAllBytes(file);
                s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromBytes(whole));
            }

            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            // One more collection: what the put left behind counts as retained too, and its
            // notification arriving means every earlier one has (they are delivered in order).
            gcs.collectAndReadUsedAfter();
            int during = gcs.count() - 1;
            System.out.println("retained=" + Math.max(0, gcs.maxUsedAfter() - baseline)
                    + " allocated=" + allocated + " collections=" + during + " baseline=" + baseline);
        }
    }

    /** Heap in use after each collection, from the JVM's GC notifications. */
    private static final class GcWatch {
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        private int count;
        private long lastUsedAfter;
        private long maxUsedAfter;

        static GcWatch watch() {
            GcWatch gcs = new GcWatch();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    gcs.record(info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(pool -> gcs.heapPools.contains(pool.getKey()))
                            .mapToLong(pool -> pool.getValue().getUsed())
                            .sum());
                }, null, null);
            }
            return gcs;
        }

        private synchronized void record(long usedAfter) {
            lastUsedAfter = usedAfter;
            maxUsedAfter = Math.max(maxUsedAfter, usedAfter);
            count++;
            notifyAll();
        }

        /** Runs a full collection and waits (notifications arrive on another thread) for its figure. */
        synchronized long collectAndReadUsedAfter() throws InterruptedException {
            int before = count;
            System.gc();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count == before) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("no GC notification within 10 s");
                wait(Math.max(1, left / 1_000_000));
            }
            return lastUsedAfter;
        }

        synchronized void reset() {
            count = 0;
            maxUsedAfter = 0;
        }

        /** Collections recorded since {@link #reset()}. */
        synchronized int count() {
            return count;
        }

        synchronized long maxUsedAfter() {
            return maxUsedAfter;
        }
    }
}
