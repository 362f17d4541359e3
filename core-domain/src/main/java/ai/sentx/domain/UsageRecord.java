package ai.sentx.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One billable request, as stored and as reported by the usage API.
 *
 * @param id  the request id ({@code x-request-id}); appending the same id twice stores it once
 */
public record UsageRecord(String id, AccountId accountId, KeyId keyId, String keyHint, EndUser endUser,
                          String model, long promptTokens, long completionTokens, long costCents,
                          boolean stream, String finishReason, Instant at) {
    public UsageRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyHint, "keyHint");
        Objects.requireNonNull(endUser, "endUser");
        Objects.requireNonNull(at, "at");
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
