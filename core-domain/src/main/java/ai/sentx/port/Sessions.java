package ai.sentx.port;

import ai.sentx.domain.AccountId;
import java.util.Optional;

/** Account sign-in: turns a session token into the account it belongs to. */
public interface Sessions {
    /**
     * The account of a valid session token; empty for anything else (never throws on bad input).
     *
     * @throws SessionsUnavailableException if the token cannot be judged right now (identity provider down)
     */
    Optional<AccountId> authenticate(String token);
}
