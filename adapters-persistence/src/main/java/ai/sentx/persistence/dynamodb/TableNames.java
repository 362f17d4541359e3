package ai.sentx.persistence.dynamodb;

import java.util.Objects;

/**
 * The physical names of the tables: a prefix (one per stage or test run) before each table's
 * logical name, e.g. {@code sentx-prod-accounts}.
 *
 * @param prefix may be empty, never {@code null}
 */
public record TableNames(String prefix) {
    /** Checks the prefix: DynamoDB allows {@code A-Z a-z 0-9 _ - .} in table names. */
    public TableNames {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("a table prefix may only hold A-Z a-z 0-9 _ - . but was '" + prefix + "'");
        }
    }

    /** The physical name of {@code table}. */
    public String of(TableDefinitions.Table table) {
        return prefix + table.name();
    }

    /** The accounts table: accounts, books, holds and ledger entries. */
    public String accounts() {
        return of(TableDefinitions.ACCOUNTS);
    }

    /** The credentials table: API keys and session tokens. */
    public String credentials() {
        return of(TableDefinitions.CREDENTIALS);
    }

    /** The limits table: request windows and stream leases. */
    public String limits() {
        return of(TableDefinitions.LIMITS);
    }

    /** The payments table: handled payment events, payers, refund marks, parked events. */
    public String payments() {
        return of(TableDefinitions.PAYMENTS);
    }

    /** The usage table: one record per billed request. */
    public String usage() {
        return of(TableDefinitions.USAGE);
    }
}
