package ai.sentx.identity;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Whose tokens {@link CognitoSessions} accepts: the user pool (its issuer and key set) and the app
 * clients the tokens must be for.
 *
 * @param issuer           the exact {@code iss} of the pool, {@code https://cognito-idp.<region>.amazonaws.com/<pool id>}
 * @param jwksUri          the pool's public keys, {@code <issuer>/.well-known/jwks.json}
 * @param clientIds        the app client ids a token may be for: an ID token's {@code aud}, an access token's
 *                         {@code client_id}; never empty
 * @param tokenUses        which {@code token_use} values are accepted: {@code id}, {@code access} or both
 * @param clockSkew        how far a token's {@code exp} and {@code iat} may be off the server's clock
 * @param cacheTimeToLive  how long a fetched key set is used before it is fetched again
 * @param refreshInterval  the shortest pause between two fetches of the key set, however many tokens name an
 *                         unknown {@code kid}
 */
public record CognitoSettings(String issuer, URI jwksUri, Set<String> clientIds, Set<String> tokenUses,
                              Duration clockSkew, Duration cacheTimeToLive, Duration refreshInterval) {
    /** Tokens a browser may hold are a few KB; anything much longer is refused before parsing. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    public CognitoSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwksUri, "jwksUri");
        clientIds = Set.copyOf(clientIds);
        tokenUses = Set.copyOf(tokenUses);
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(cacheTimeToLive, "cacheTimeToLive");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (issuer.isBlank()) throw new IllegalArgumentException("blank issuer");
        if (clientIds.isEmpty() || clientIds.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("at least one app client id is needed, none blank");
        }
        if (tokenUses.isEmpty() || !Set.of("id", "access").containsAll(tokenUses)) {
            throw new IllegalArgumentException("tokenUses must be id, access or both");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("clockSkew must be 0 to 5 minutes");
        }
        if (cacheTimeToLive.isNegative() || cacheTimeToLive.isZero()) {
            throw new IllegalArgumentException("cacheTimeToLive must be positive");
        }
        if (refreshInterval.isNegative() || refreshInterval.compareTo(cacheTimeToLive) >= 0) {
            throw new IllegalArgumentException("refreshInterval must be at least 0 and shorter than cacheTimeToLive");
        }
    }

    /**
     * The settings for a Cognito user pool and one app client: ID and access tokens, 60 s of clock
     * skew, keys cached for 15 minutes and fetched at most every 30 s.
     *
     * @param region     the pool's region, e.g. {@code eu-west-1}
     * @param userPoolId the pool id, e.g. {@code eu-west-1_AbCdEf123}
     * @param clientId   the app client id
     */
    public static CognitoSettings forUserPool(String region, String userPoolId, String clientId) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(userPoolId, "userPoolId");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d") || !userPoolId.matches("[\\w-]+_[0-9A-Za-z]+")) {
            throw new IllegalArgumentException("not a Cognito region and user pool id: " + region + ", " + userPoolId);
        }
        String issuer = "https://cognito-idp." + region + ".amazonaws.com/" + userPoolId;
        return new CognitoSettings(issuer, URI.create(issuer + "/.well-known/jwks.json"), Set.of(clientId),
                Set.of("id", "access"), Duration.ofSeconds(60), Duration.ofMinutes(15), Duration.ofSeconds(30));
    }
}
