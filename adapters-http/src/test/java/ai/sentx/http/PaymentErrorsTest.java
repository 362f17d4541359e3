package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP meaning of the payment problems (issue 6). */
class PaymentErrorsTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "INVALID_SIGNATURE, 400, invalid_signature, invalid_request_error",
            "PAYMENTS_NOT_CONFIGURED, 503, payments_not_configured, api_error",
            "PAYMENTS_UNAVAILABLE, 503, payments_unavailable, api_error"
    })
    void eachPaymentProblemHasItsStatusCodeAndType(Problem problem, int status, String code, String type) {
        ErrorCatalog.HttpError e = ErrorCatalog.of(problem);

        assertEquals(status, e.status());
        assertEquals(code, e.code());
        assertEquals(type, e.type());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INVALID_SIGNATURE", "PAYMENTS_NOT_CONFIGURED"})
    void problemsARetryCannotFix_stopTheSdksRetrying(Problem problem) {
        assertFalse(ErrorCatalog.of(problem).shouldRetry());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PAYMENTS_UNAVAILABLE"})
    void aStripeOutage_mayBeRetried(Problem problem) {
        assertTrue(ErrorCatalog.of(problem).shouldRetry());
    }
}
