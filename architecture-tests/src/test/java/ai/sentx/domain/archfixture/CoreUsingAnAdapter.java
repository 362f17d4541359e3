package ai.sentx.domain.archfixture;

import ai.sentx.http.archfixture.HttpFixture;

/** Fixture: core code that reaches into an adapter. Breaks {@code CORE_DEPENDS_ONLY_ON_THE_JDK}. */
public final class CoreUsingAnAdapter {

    public HttpFixture adapter() {
        return new HttpFixture();
    }
}
