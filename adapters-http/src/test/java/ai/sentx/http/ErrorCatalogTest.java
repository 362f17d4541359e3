package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCatalogTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "INVALID_JSON, 400, invalid_json",
            "MISSING_REQUIRED_PARAMETER, 400, missing_required_parameter",
            "INVALID_PARAMETER, 400, invalid_parameter",
            "SYSTEM_MESSAGE_TOO_LONG, 400, system_message_too_long",
            "IMAGE_TOO_LARGE, 400, image_too_large",
            "INVALID_IMAGE, 400, invalid_image",
            "UNSUPPORTED_URL_SCHEME, 400, unsupported_url_scheme",
            "UNSUPPORTED_CONTENT, 400, unsupported_content",
            "INVALID_FILE_FORMAT, 400, invalid_file_format",
            "ATTACHED_FILE_NOT_FOUND, 400, file_not_found",
            "INVALID_API_KEY, 401, invalid_api_key",
            "INSUFFICIENT_BALANCE, 402, insufficient_balance",
            "NOT_FOUND, 404, not_found",
            "MODEL_NOT_FOUND, 404, model_not_found",
            "METHOD_NOT_ALLOWED, 405, method_not_allowed",
            "MAX_KEYS_REACHED, 409, max_keys_reached",
            "REQUEST_TOO_LARGE, 413, request_too_large",
            "RATE_LIMITED, 429, rate_limit_exceeded",
            "KEY_CREATION_RATE_LIMITED, 429, rate_limit_exceeded",
            "STREAM_LIMIT_REACHED, 429, rate_limit_exceeded",
            "UPSTREAM_ERROR, 502, upstream_error",
            "UPSTREAM_TIMEOUT, 504, upstream_timeout",
            "INTERNAL_ERROR, 500, internal_error"
    })
    void eachProblemHasTheContractsStatusAndCode(Problem problem, int status, String code) {
        ErrorCatalog.HttpError e = ErrorCatalog.of(problem);
        assertEquals(status, e.status());
        assertEquals(code, e.code());
    }

    @ParameterizedTest
    @EnumSource(value = Problem.class, names = {"MAX_KEYS_REACHED", "KEY_CREATION_RATE_LIMITED", "INSUFFICIENT_BALANCE"})
    void errorsThatARetryCannotFixStopTheSdksRetrying(Problem problem) {
        assertFalse(ErrorCatalog.of(problem).shouldRetry());
    }

    @ParameterizedTest
    @EnumSource(value = Problem.class, names = {"RATE_LIMITED", "STREAM_LIMIT_REACHED", "INTERNAL_ERROR", "UPSTREAM_ERROR"})
    void transientErrorsMayBeRetried(Problem problem) {
        assertTrue(ErrorCatalog.of(problem).shouldRetry());
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"0, 0ms", "20, 20ms", "999, 999ms", "1000, 1s", "1001, 2s", "35000, 35s", "59999, 1m0s",
            "60000, 1m0s", "360000, 6m0s", "3599000, 59m59s"})
    void resetHeadersAreGoDurations(long millis, String expected) {
        assertEquals(expected, Responses.goDuration(millis));
    }
}
