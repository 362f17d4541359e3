package ai.sentx.http;

import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * How the dashboard signs people in and how its session cookie is guarded, as the composition
 * root sets it: the local server takes the defaults ({@link #local()}); the AWS deployment names its
 * Cognito hosted UI ({@link #cognito}).
 *
 * @param signIn         how a person proves who they are
 * @param secureCookies  mark the session cookie {@code Secure} (every deployment served over HTTPS)
 * @param allowedOrigins origins other than the API's own that may call {@code /account} with the cookie
 *                       (CORS with credentials); empty when the dashboard is served by the API itself
 */
public record DashboardSettings(SignIn signIn, boolean secureCookies, Set<String> allowedOrigins) {
    public DashboardSettings {
        Objects.requireNonNull(signIn, "signIn");
        allowedOrigins = Set.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (!isOrigin(origin)) throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
        }
    }

    /** The local server's: sign in with a session token; cookie not {@code Secure} (plain HTTP on loopback). */
    public static DashboardSettings local() {
        return new DashboardSettings(new SignIn.SessionToken(), false, Set.of());
    }

    /**
     * A deployment signing in with a Cognito user pool's hosted UI (authorization code + PKCE).
     *
     * @param hostedUi       the pool's domain, e.g. {@code https://sentx-prod.auth.eu-west-1.amazoncognito.com}
     * @param clientId       the public app client (no secret) the dashboard signs in with
     * @param allowedOrigins extra dashboard origins (see the record); usually none
     */
    public static DashboardSettings cognito(URI hostedUi, String clientId, Set<String> allowedOrigins) {
        return new DashboardSettings(new SignIn.Oidc(hostedUi.resolve("/oauth2/authorize"),
                hostedUi.resolve("/oauth2/token"), hostedUi.resolve("/logout"), clientId, "openid email"),
                true, allowedOrigins);
    }

    /** How a person signs in to the dashboard. */
    public sealed interface SignIn permits SignIn.SessionToken, SignIn.Oidc {
        /** Paste a session token (the local server prints its demo account's). */
        record SessionToken() implements SignIn {
        }

        /**
         * An OpenID Connect provider's authorization-code flow with PKCE; the page exchanges the code
         * for an ID token and hands that to {@code POST /account/session}.
         *
         * @param authorizeUrl where the browser signs in
         * @param tokenUrl     where the page exchanges the code (the provider must allow CORS, as Cognito does)
         * @param logoutUrl    where signing out ends the provider's session too
         * @param clientId     the public client id
         * @param scope        the scopes asked for
         */
        record Oidc(URI authorizeUrl, URI tokenUrl, URI logoutUrl, String clientId, String scope) implements SignIn {
            public Oidc {
                for (URI u : new URI[] {authorizeUrl, tokenUrl, logoutUrl}) {
                    Objects.requireNonNull(u, "url");
                    if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                        throw new IllegalArgumentException("not an http(s) URL: " + u);
                    }
                }
                Objects.requireNonNull(clientId, "clientId");
                Objects.requireNonNull(scope, "scope");
                if (!clientId.matches("[\\w-]{1,128}")) throw new IllegalArgumentException("malformed client id");
            }

            /** The origin of {@link #tokenUrl()}, which the page's CSP must let it connect to. */
            String tokenOrigin() {
                return tokenUrl.getScheme() + "://" + tokenUrl.getRawAuthority();
            }
        }
    }

    private static boolean isOrigin(String s) {
        try {
            URI u = URI.create(s);
            return (u.getScheme() != null && (u.getScheme().equals("https") || u.getScheme().equals("http")))
                    && u.getHost() != null && (u.getRawPath() == null || u.getRawPath().isEmpty())
                    && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
