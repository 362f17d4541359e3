package ai.sentx.identity;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.port.Accounts;
import ai.sentx.port.Sessions;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account sessions from Amazon Cognito tokens: the dashboard signs in with the hosted UI
 * (authorization code + PKCE) and hands the ID token to the API, which verifies it here on every
 * request, with nimbus-jose-jwt against the user pool's key set.
 *
 * <p>A token is accepted only when all hold: it is a JWS signed with RS256 (unsigned {@code alg:
 * none} tokens and every other algorithm, HMAC ones included, are refused) by a key of the pool's
 * key set, found by {@code kid}; its {@code iss} is the pool; its {@code exp} has not passed and its
 * {@code iat} is not in the future (both within the configured skew); its {@code token_use} is an
 * accepted one; and it is for one of the app clients ({@code aud} for an ID token, {@code client_id}
 * for an access token). The key set is cached; a token naming a {@code kid} the cache lacks makes
 * it fetch the set again (keys rotate), at most once per {@link CognitoSettings#refreshInterval()}.
 *
 * <p>The account is {@code acct_<sub>}. The first time a subject signs in here, its account is
 * created (with no ledger entry, so a zero balance); later sign-ins leave it as it is.
 */
public final class CognitoSessions implements Sessions {
    private static final System.Logger LOG = System.getLogger(CognitoSessions.class.getName());
    /** Subjects whose account is known to exist; bounded, since it is only a shortcut. */
    private static final int KNOWN_ACCOUNTS_LIMIT = 10_000;
    private static final int HTTP_TIMEOUT_MS = 3_000;
    private static final int JWKS_SIZE_LIMIT = 64 * 1024;

    private final CognitoSettings settings;
    private final Accounts accounts;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Set<AccountId> knownAccounts = ConcurrentHashMap.newKeySet();

    /**
     * @param settings the pool and app clients
     * @param accounts where an account is created at its first sign-in
     * @param clock    judges {@code exp} and {@code iat}, and dates new accounts
     */
    public CognitoSessions(CognitoSettings settings, Accounts accounts, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.clock = Objects.requireNonNull(clock, "clock");
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUri().toURL(),
                            new DefaultResourceRetriever(HTTP_TIMEOUT_MS, HTTP_TIMEOUT_MS, JWKS_SIZE_LIMIT))
                    .cache(settings.cacheTimeToLive().toMillis(), HTTP_TIMEOUT_MS * 2L)
                    .refreshAheadCache(false)
                    .rateLimited(settings.refreshInterval().toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwksUri is not a URL: " + settings.jwksUri(), e);
        }
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        ClockedClaimsVerifier claims = new ClockedClaimsVerifier(clock,
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp", "iat", "token_use"));
        claims.setMaxClockSkew(Math.toIntExact(settings.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The signed-in person's account; creates it at the first sign-in.
     *
     * @return empty for anything but a valid token of this pool and app client
     * @throws IdentityProviderUnavailableException if the pool's keys cannot be fetched
     */
    @Override
    public Optional<AccountId> authenticate(String token) {
        Optional<Identity> identity = verify(token);
        identity.ifPresent(this::openAccountOnce);
        return identity.map(Identity::account);
    }

    /**
     * Verifies {@code token} without touching any account.
     *
     * @return the identity it proves, or empty when it proves none (malformed, forged, expired, for another
     *         pool, client or use)
     * @throws IdentityProviderUnavailableException if the pool's keys cannot be fetched
     */
    public Optional<Identity> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > CognitoSettings.MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (RateLimitReachedException e) {
            // An unknown kid while the key set was fetched moments ago: no key of the pool signed it.
            LOG.log(System.Logger.Level.DEBUG, "token refused: its kid is not in the recently fetched key set");
            return Optional.empty();
        } catch (KeySourceException e) {
            throw new IdentityProviderUnavailableException("cannot fetch the identity provider's keys from "
                    + settings.jwksUri() + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // The reason helps an operator; the token itself is never logged.
            LOG.log(System.Logger.Level.DEBUG, "token refused: " + e.getMessage());
            return Optional.empty();
        }
        return identityOf(claims);
    }

    private Optional<Identity> identityOf(JWTClaimsSet claims) {
        String use = stringClaim(claims, "token_use");
        if (use == null || !settings.tokenUses().contains(use)) return Optional.empty();
        String client = switch (use) {
            case "id" -> singleAudience(claims.getAudience());
            case "access" -> stringClaim(claims, "client_id");
            default -> null;
        };
        if (client == null || !settings.clientIds().contains(client)) return Optional.empty();
        String subject = claims.getSubject();
        if (subject == null || !subject.matches("[A-Za-z0-9-]{1,128}")) return Optional.empty();
        String name = firstNonBlank(stringClaim(claims, "email"), stringClaim(claims, "cognito:username"),
                stringClaim(claims, "username"), subject);
        return Optional.of(new Identity(new AccountId("acct_" + subject), subject, name, use,
                claims.getExpirationTime().toInstant()));
    }

    private void openAccountOnce(Identity identity) {
        AccountId id = identity.account();
        if (knownAccounts.contains(id)) return;
        accounts.createIfAbsent(new Account(id, identity.name(), clock.instant()));
        if (knownAccounts.size() >= KNOWN_ACCOUNTS_LIMIT) knownAccounts.clear();
        knownAccounts.add(id);
    }

    private static String singleAudience(List<String> audience) {
        return audience != null && audience.size() == 1 ? audience.getFirst() : null;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        throw new IllegalStateException("no value");
    }

    /**
     * What a verified token proves.
     *
     * @param account   the account it signs in to
     * @param subject   the pool's {@code sub}
     * @param name      the e-mail address, else the user name, else the subject
     * @param tokenUse  {@code id} or {@code access}
     * @param expiresAt the token's {@code exp}
     */
    public record Identity(AccountId account, String subject, String name, String tokenUse, Instant expiresAt) {
        public Identity {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tokenUse, "tokenUse");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** nimbus's claim checks (exact issuer, required claims, {@code exp}/{@code iat} with skew) on our clock. */
    private static final class ClockedClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;

        ClockedClaimsVerifier(Clock clock, JWTClaimsSet exactMatch, Set<String> required) {
            super(null, exactMatch, required, null);
            this.clock = clock;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            Date issued = claims.getIssueTime();
            if (issued != null && issued.toInstant().isAfter(clock.instant().plusSeconds(getMaxClockSkew()))) {
                throw new BadJWTException("JWT issued in the future");
            }
        }
    }
}
