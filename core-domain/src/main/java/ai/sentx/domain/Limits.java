package ai.sentx.domain;

import java.time.Duration;

/**
 * The operator-tunable limits of CONTRACT §7 and §10. {@link #defaults()} are the product's
 * published values.
 *
 * @param requestsPerMinute     per API key, fixed UTC-minute windows, all {@code /v1} routes
 * @param streamsPerKey         concurrent streams per API key
 * @param keyCreationsPerHour   per account, fixed UTC-hour windows
 * @param maxActiveKeys         active (unrevoked) keys per account
 * @param maxOutputTokens       the backend's output budget when the request names none
 * @param streamLease           how long a stream slot lives without being released (crash safety)
 * @param holdTtl               how long a hold lives before the sweeper may release it
 */
public record Limits(int requestsPerMinute, int streamsPerKey, int keyCreationsPerHour, int maxActiveKeys,
                     long maxOutputTokens, Duration streamLease, Duration holdTtl) {
    public static final int SYSTEM_TEXT_MAX_CODE_POINTS = 2_000;
    public static final int INLINE_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
    public static final int IDENTITY_MAX_CHARS = 256;

    public Limits {
        if (requestsPerMinute < 1 || streamsPerKey < 1 || keyCreationsPerHour < 1 || maxActiveKeys < 1
                || maxOutputTokens < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (streamLease.isNegative() || streamLease.isZero() || holdTtl.isNegative() || holdTtl.isZero()) {
            throw new IllegalArgumentException("lease and hold durations must be positive");
        }
    }

    public static Limits defaults() {
        return new Limits(60, 5, 5, 25, 16_384, Duration.ofMinutes(20), Duration.ofMinutes(20));
    }

    public Limits withRequestsPerMinute(int value) {
        return new Limits(value, streamsPerKey, keyCreationsPerHour, maxActiveKeys, maxOutputTokens, streamLease, holdTtl);
    }

    public Limits withStreamsPerKey(int value) {
        return new Limits(requestsPerMinute, value, keyCreationsPerHour, maxActiveKeys, maxOutputTokens, streamLease, holdTtl);
    }

    public Limits withKeyCreationsPerHour(int value) {
        return new Limits(requestsPerMinute, streamsPerKey, value, maxActiveKeys, maxOutputTokens, streamLease, holdTtl);
    }

    public Limits withMaxActiveKeys(int value) {
        return new Limits(requestsPerMinute, streamsPerKey, keyCreationsPerHour, value, maxOutputTokens, streamLease, holdTtl);
    }

    public Limits withMaxOutputTokens(long value) {
        return new Limits(requestsPerMinute, streamsPerKey, keyCreationsPerHour, maxActiveKeys, value, streamLease, holdTtl);
    }
}
