package ai.sentx.persistence.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The adapters' one way to call DynamoDB. A refused condition comes back as a plain result
 * ({@code false}, empty) for the caller to classify with a consistent re-read, never by the
 * cancellation reasons or error codes of the failure; every other SDK failure becomes a
 * {@link StoreUnavailableException}. Reads are strongly consistent.
 */
final class Dynamo {
    /** Attempts of an optimistic loop before the adapter gives up on a contended item. */
    static final int MAX_ATTEMPTS = 64;
    private static final int BATCH_GET_LIMIT = 100;

    private final DynamoDbClient client;

    Dynamo(DynamoDbClient client) {
        this.client = client;
    }

    /** The item, read consistently, or {@code null}. */
    Map<String, AttributeValue> get(String table, Map<String, AttributeValue> key) {
        return call("GetItem " + table, () -> {
            var response = client.getItem(b -> b.tableName(table).key(key).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
        });
    }

    /** Puts the item; false if its condition failed (or a transaction held the item). */
    boolean put(PutItemRequest request) {
        return call("PutItem " + request.tableName(), () -> {
            try {
                client.putItem(request);
                return true;
            } catch (ConditionalCheckFailedException | TransactionConflictException refused) {
                return false;
            }
        });
    }

    /** Updates the item; the returned attributes, or empty if its condition failed. */
    Optional<Map<String, AttributeValue>> update(UpdateItemRequest request) {
        return call("UpdateItem " + request.tableName(), () -> {
            try {
                return Optional.of(client.updateItem(request).attributes());
            } catch (ConditionalCheckFailedException | TransactionConflictException refused) {
                return Optional.empty();
            }
        });
    }

    /**
     * Applies every write or none; false if the transaction was cancelled, for whatever reason
     * (a condition, a conflicting transaction): the caller re-reads to learn which. Each call gets
     * its own client request token, so when the SDK retries a transaction whose success was lost on
     * the way back, DynamoDB reports that success instead of a cancellation. Nothing depends on it:
     * without the token (FakeDynamoDb ignores it) the caller's re-read finds the same outcome.
     */
    boolean transact(TransactWriteItemsRequest request) {
        TransactWriteItemsRequest once = request.toBuilder().clientRequestToken(UUID.randomUUID().toString()).build();
        return call("TransactWriteItems", () -> {
            try {
                client.transactWriteItems(once);
                return true;
            } catch (TransactionCanceledException | TransactionConflictException | TransactionInProgressException cancelled) {
                return false;
            }
        });
    }

    QueryResponse query(QueryRequest request) {
        return call("Query " + request.tableName(), () -> client.query(request));
    }

    /** Every page of {@code request}, item by item, until {@code visitor} returns false. */
    void queryAll(QueryRequest request, ItemVisitor visitor) {
        QueryRequest page = request;
        while (true) {
            QueryResponse response = query(page);
            for (Map<String, AttributeValue> item : response.items()) {
                if (!visitor.visit(item)) return;
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) return;
            page = page.toBuilder().exclusiveStartKey(response.lastEvaluatedKey()).build();
        }
    }

    /** The items of {@code keys} that exist, read consistently, in no particular order. */
    List<Map<String, AttributeValue>> batchGet(String table, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>(keys.size());
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) backoff(attempt, "BatchGetItem " + table);
                Map<String, KeysAndAttributes> request = new HashMap<>();
                request.put(table, KeysAndAttributes.builder().keys(pending).consistentRead(true).build());
                BatchGetItemResponse response = call("BatchGetItem " + table, () -> client.batchGetItem(b -> b.requestItems(request)));
                found.addAll(response.responses().getOrDefault(table, List.of()));
                KeysAndAttributes left = response.unprocessedKeys().get(table);
                pending = left == null ? List.of() : left.keys();
            }
        }
        return found;
    }

    /**
     * Waits before attempt {@code attempt} (1-based) of an optimistic loop: jittered, growing to
     * 100 ms, so instances that collided on an item spread out.
     *
     * @throws StoreUnavailableException after {@link #MAX_ATTEMPTS} attempts, or if interrupted
     */
    static void backoff(int attempt, String what) {
        if (attempt >= MAX_ATTEMPTS) {
            throw new StoreUnavailableException(what + ": still contended after " + attempt + " attempts", null);
        }
        long bound = Math.min(100, 1L << Math.min(attempt, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(what + ": interrupted", e);
        }
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Receives query results one item at a time. */
    @FunctionalInterface
    interface ItemVisitor {
        /** @return false to stop reading */
        boolean visit(Map<String, AttributeValue> item);
    }
}
