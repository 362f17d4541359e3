package ai.sentx.domain.files;

import java.util.Objects;

/** What a malware scanner said about a file. */
public sealed interface ScanVerdict {
    /** Nothing found. */
    record Clean() implements ScanVerdict {
    }

    /** Malware found; {@code signature} names it (for logs, never secret). */
    record Infected(String signature) implements ScanVerdict {
        public Infected {
            Objects.requireNonNull(signature, "signature");
        }
    }
}
