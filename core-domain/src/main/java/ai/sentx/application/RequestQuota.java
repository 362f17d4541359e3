package ai.sentx.application;

import java.time.Instant;

/**
 * The request window's state after this request, for the {@code x-ratelimit-*} headers.
 *
 * @param resetAt when the next window starts
 */
public record RequestQuota(int limit, long remaining, Instant resetAt) {
}
