package ai.sentx.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.port.Accounts;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token verification against a user pool's key set served over real HTTP by a JDK server in the
 * test, with tokens minted by nimbus's own signers.
 */
class CognitoSessionsTest {
    private static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1";
    private static final String CLIENT = "4kq0dashboardclient0000000";
    private static final String SUB = "5f1c2b9e-0d3a-4c1e-9a57-2b6f8c0e7d41";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static RSAKey key1;
    private static RSAKey key2;
    private static RSAKey stranger;

    private final AtomicReference<JWKSet> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final FakeAccounts accounts = new FakeAccounts();
    private HttpServer jwks;

    @BeforeAll
    static void keys() throws JOSEException {
        key1 = new RSAKeyGenerator(2048).keyID("kid-1").generate();
        key2 = new RSAKeyGenerator(2048).keyID("kid-2").generate();
        stranger = new RSAKeyGenerator(2048).keyID("kid-stranger").generate();
    }

    @BeforeEach
    void serveKeySet() throws IOException {
        served.set(new JWKSet(key1.toPublicJWK()));
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/eu-west-1_TestPool1/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    private CognitoSessions sessions(Duration refreshInterval) {
        URI uri = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/eu-west-1_TestPool1/.well-known/jwks.json");
        return new CognitoSessions(new CognitoSettings(ISSUER, uri, Set.of(CLIENT), Set.of("id", "access"),
                Duration.ofSeconds(60), Duration.ofMinutes(15), refreshInterval), accounts,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private CognitoSessions sessions() {
        return sessions(Duration.ZERO);
    }

    private static JWTClaimsSet.Builder idClaims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject(SUB).audience(CLIENT)
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(3600)))
                .claim("token_use", "id").claim("email", "ada@example.com")
                .claim("cognito:username", SUB);
    }

    private static String signed(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String idToken(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        JWTClaimsSet.Builder b = idClaims();
        change.accept(b);
        return signed(key1, b.build());
    }

    @Test
    void accepts_aValidIdToken_andOpensTheAccountAtTheFirstSignInOnly() throws JOSEException {
        CognitoSessions s = sessions();
        String token = idToken(b -> { });

        assertEquals(Optional.of(new AccountId("acct_" + SUB)), s.authenticate(token));
        assertEquals(Optional.of(new AccountId("acct_" + SUB)), s.authenticate(token));

        assertEquals(1, accounts.creations.get(), "the account is created once");
        Account created = accounts.byId.get(new AccountId("acct_" + SUB));
        assertEquals("ada@example.com", created.name());
        assertEquals(NOW, created.createdAt());
        assertEquals(1, fetches.get(), "the key set is fetched once and cached");
    }

    @Test
    void accepts_aValidAccessToken_forTheAppClient() throws JOSEException {
        String token = signed(key1, new JWTClaimsSet.Builder().issuer(ISSUER).subject(SUB)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(600)))
                .claim("token_use", "access").claim("client_id", CLIENT).claim("username", "ada").build());

        Optional<CognitoSessions.Identity> identity = sessions().verify(token);

        assertEquals("access", identity.orElseThrow().tokenUse());
        assertEquals("ada", identity.orElseThrow().name());
    }

    @Test
    void refuses_anExpiredToken_butAllowsTheClockSkew() throws JOSEException {
        CognitoSessions s = sessions();
        assertEquals(Optional.empty(), s.authenticate(idToken(b -> b.expirationTime(Date.from(NOW.minusSeconds(61))))));
        assertTrue(s.authenticate(idToken(b -> b.expirationTime(Date.from(NOW.minusSeconds(30))))).isPresent());
        assertEquals(Optional.empty(), s.authenticate(idToken(b -> b.issueTime(Date.from(NOW.plusSeconds(600))))),
                "a token issued in the future is refused");
        assertEquals(1, accounts.creations.get(), "only the valid token opened an account");
    }

    @Test
    void refuses_aTokenOfAnotherIssuer() throws JOSEException {
        assertEquals(Optional.empty(), sessions().authenticate(
                idToken(b -> b.issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OtherPool"))));
        assertEquals(0, accounts.creations.get());
    }

    @Test
    void refuses_aTokenForAnotherAudienceOrClient() throws JOSEException {
        CognitoSessions s = sessions();
        assertEquals(Optional.empty(), s.authenticate(idToken(b -> b.audience("another-app-client"))));
        assertEquals(Optional.empty(), s.authenticate(idToken(b -> b.audience(List.of(CLIENT, "another")))));
        String access = signed(key1, new JWTClaimsSet.Builder().issuer(ISSUER).subject(SUB)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(600)))
                .claim("token_use", "access").claim("client_id", "another-app-client").build());
        assertEquals(Optional.empty(), s.authenticate(access));
    }

    @Test
    void refuses_aTokenWithoutAnAcceptedTokenUse() throws JOSEException {
        CognitoSessions s = sessions();
        assertEquals(Optional.empty(), s.authenticate(idToken(b -> b.claim("token_use", "refresh"))));
        assertEquals(Optional.empty(), s.authenticate(idToken(b -> b.claim("token_use", null))));
    }

    @Test
    void refuses_aTokenSignedByAKeyOutsideTheKeySet_andRateLimitsTheRefetches() throws JOSEException {
        CognitoSessions s = sessions(Duration.ofMinutes(1));
        assertTrue(s.authenticate(idToken(b -> { })).isPresent());
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), s.authenticate(signed(stranger, idClaims().build())));
        }
        assertTrue(fetches.get() <= 3, "an unknown kid refetches the set at most as the rate limit allows, got "
                + fetches.get());
    }

    @Test
    void refuses_algNone_andHmacSignatures() throws JOSEException {
        CognitoSessions s = sessions();
        assertEquals(Optional.empty(), s.authenticate(new PlainJWT(idClaims().build()).serialize()));
        // alg none with a kid of the set and an empty signature, as attackers send it.
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"kid-1\"}").toString();
        String payload = Base64URL.encode(idClaims().build().toString()).toString();
        assertEquals(Optional.empty(), s.authenticate(header + "." + payload + "."));
        // HS256 keyed with the public key's bytes: the classic algorithm-confusion attack.
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("kid-1").build(), idClaims().build());
        byte[] secret = key1.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        hmac.sign(new MACSigner(secret));
        assertEquals(Optional.empty(), s.authenticate(hmac.serialize()));
        assertEquals(0, accounts.creations.get());
    }

    @Test
    void refuses_aTamperedPayload_andGarbage_withoutThrowing() throws JOSEException {
        CognitoSessions s = sessions();
        String[] parts = idToken(b -> { }).split("\\.");
        String otherSub = Base64URL.encode(idClaims().subject("someone-else").build().toString()).toString();
        assertEquals(Optional.empty(), s.authenticate(parts[0] + "." + otherSub + "." + parts[2]));
        assertEquals(Optional.empty(), s.authenticate("not a token"));
        assertEquals(Optional.empty(), s.authenticate(""));
        assertEquals(Optional.empty(), s.authenticate(null));
        assertEquals(Optional.empty(), s.authenticate("x".repeat(20_000)));
    }

    @Test
    void follows_aKeyRotatedInTheKeySet() throws JOSEException {
        CognitoSessions s = sessions();
        assertTrue(s.authenticate(signed(key1, idClaims().build())).isPresent());

        served.set(new JWKSet(key2.toPublicJWK()));

        assertTrue(s.authenticate(signed(key2, idClaims().build())).isPresent(), "a new kid makes it fetch the set");
        assertEquals(2, fetches.get());
        assertEquals(Optional.empty(), s.authenticate(signed(key1, idClaims().build())),
                "the retired key no longer signs in");
    }

    @Test
    void reports_anUnreachableKeySet_asUnavailable_notAsARefusal() throws JOSEException {
        CognitoSessions s = sessions();
        jwks.stop(0);
        String token = idToken(b -> { });
        assertThrows(IdentityProviderUnavailableException.class, () -> s.authenticate(token));
        assertEquals(0, accounts.creations.get());
    }

    @Test
    void builds_theCognitoIssuerAndKeySetAddress_fromThePool() {
        CognitoSettings settings = CognitoSettings.forUserPool("eu-west-1", "eu-west-1_AbC123", CLIENT);
        assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123", settings.issuer());
        assertEquals(URI.create("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json"),
                settings.jwksUri());
        assertThrows(IllegalArgumentException.class, () -> CognitoSettings.forUserPool("eu-west-1", "x/../y", CLIENT));
    }

    /** Accounts in a map, counting creations. */
    private static final class FakeAccounts implements Accounts {
        final Map<AccountId, Account> byId = new ConcurrentHashMap<>();
        final AtomicInteger creations = new AtomicInteger();

        @Override
        public Account createIfAbsent(Account account) {
            return byId.computeIfAbsent(account.id(), id -> {
                creations.incrementAndGet();
                return account;
            });
        }

        @Override
        public Optional<Account> find(AccountId id) {
            return Optional.ofNullable(byId.get(id));
        }
    }
}
