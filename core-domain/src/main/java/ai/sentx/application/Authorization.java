package ai.sentx.application;

import ai.sentx.domain.Failure;

/** The outcome of {@link AuthorizeApiCall}: the quota is always known, for the headers. */
public sealed interface Authorization {
    RequestQuota quota();

    record Granted(ApiPrincipal principal, RequestQuota quota) implements Authorization {
    }

    record Denied(Failure failure, RequestQuota quota) implements Authorization {
    }
}
