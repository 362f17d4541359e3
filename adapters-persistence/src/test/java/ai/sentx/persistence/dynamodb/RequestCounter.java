package ai.sentx.persistence.dynamodb;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Test-scope SDK interceptor that counts DynamoDB requests by operation, for every client of the
 * test JVM (registered like {@link FakeTransactionErrors}). A test takes a {@link #snapshot()}
 * before and after what it measures; retries inside the SDK count once per attempt.
 */
public final class RequestCounter implements ExecutionInterceptor {
    /** The operations that read; every other operation counted writes. */
    public static final Set<String> READS = Set.of("GetItem", "Query", "BatchGetItem", "TransactGetItems", "Scan");
    /** Operations that are neither reads nor writes of items (table administration). */
    public static final Set<String> ADMIN = Set.of("CreateTable", "DescribeTable", "UpdateTimeToLive", "ListTables");

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    /** Created by the SDK from the registration file. */
    public RequestCounter() {
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        COUNTS.computeIfAbsent(operation, o -> new LongAdder()).increment();
    }

    /** Requests sent so far in this JVM, by operation. */
    public static Counts snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        COUNTS.forEach((operation, count) -> copy.put(operation, count.sum()));
        return new Counts(copy);
    }

    /** Requests by operation at one moment. */
    public record Counts(Map<String, Long> byOperation) {
        /** What was sent between {@code earlier} and this snapshot. */
        public Counts since(Counts earlier) {
            Map<String, Long> delta = new TreeMap<>();
            byOperation.forEach((operation, count) -> {
                long d = count - earlier.byOperation.getOrDefault(operation, 0L);
                if (d != 0) delta.put(operation, d);
            });
            return new Counts(delta);
        }

        /** Read requests. */
        public long reads() {
            return byOperation.entrySet().stream().filter(e -> READS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }

        /** Write requests (a transaction counts once). */
        public long writes() {
            return byOperation.entrySet().stream()
                    .filter(e -> !READS.contains(e.getKey()) && !ADMIN.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }
}
