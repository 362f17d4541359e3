package ai.sentx.domain;

import java.util.Objects;

/** Identifies an account (the holder of keys, balance and usage). Never blank. */
public record AccountId(String value) {
    public AccountId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) throw new IllegalArgumentException("blank account id");
    }

    @Override
    public String toString() {
        return value;
    }
}
