package ai.sentx.domain;

import java.util.Objects;

/** Public identifier of an API key ({@code key_...}); safe to show and log, unlike the key itself. */
public record KeyId(String value) {
    public KeyId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) throw new IllegalArgumentException("blank key id");
    }

    @Override
    public String toString() {
        return value;
    }
}
