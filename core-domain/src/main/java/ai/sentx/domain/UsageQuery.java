package ai.sentx.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A page of one account's usage, newest first. Filters are {@code null} when not set.
 *
 * @param from  inclusive lower bound of {@code at}
 * @param to    exclusive upper bound of {@code at}
 * @param after the id of the last record of the previous page, or {@code null} for the first page
 * @param limit 1..1000
 */
public record UsageQuery(AccountId accountId, KeyId keyId, String user, String session,
                         Instant from, Instant to, String after, int limit) {
    public UsageQuery {
        Objects.requireNonNull(accountId, "accountId");
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000");
    }

    public boolean matches(UsageRecord r) {
        return r.accountId().equals(accountId)
                && (keyId == null || keyId.equals(r.keyId()))
                && (user == null || user.equals(r.endUser().user()))
                && (session == null || session.equals(r.endUser().session()))
                && (from == null || !r.at().isBefore(from))
                && (to == null || r.at().isBefore(to));
    }
}
