package ai.sentx.http;

import ai.sentx.domain.Problem;

/** The HTTP meaning of each {@link Problem}: status, OpenAI error type and code, retry advice. */
public final class ErrorCatalog {
    private ErrorCatalog() {
    }

    /**
     * @param shouldRetry false when a retry cannot help: sent as {@code x-should-retry: false} so
     *                    the OpenAI SDKs do not retry (they retry 409 and 429 by default)
     */
    public record HttpError(int status, String type, String code, boolean shouldRetry) {
    }

    public static HttpError of(Problem problem) {
        return switch (problem) {
            case INVALID_JSON -> bad("invalid_json");
            case MISSING_REQUIRED_PARAMETER -> bad("missing_required_parameter");
            case INVALID_PARAMETER -> bad("invalid_parameter");
            case SYSTEM_MESSAGE_TOO_LONG -> bad("system_message_too_long");
            case IMAGE_TOO_LARGE -> bad("image_too_large");
            case INVALID_IMAGE -> bad("invalid_image");
            case UNSUPPORTED_URL_SCHEME -> bad("unsupported_url_scheme");
            case UNSUPPORTED_CONTENT -> bad("unsupported_content");
            case INVALID_FILE_FORMAT -> bad("invalid_file_format");
            case ATTACHED_FILE_NOT_FOUND -> bad("file_not_found");
            case INVALID_SIGNATURE -> bad("invalid_signature");
            case INVALID_API_KEY -> new HttpError(401, "authentication_error", "invalid_api_key", false);
            case INVALID_SESSION -> new HttpError(401, "authentication_error", "invalid_session", false);
            case INSUFFICIENT_BALANCE -> new HttpError(402, "billing_error", "insufficient_balance", false);
            case NOT_FOUND, KEY_NOT_FOUND -> new HttpError(404, "invalid_request_error", "not_found", false);
            case MODEL_NOT_FOUND -> new HttpError(404, "invalid_request_error", "model_not_found", false);
            case METHOD_NOT_ALLOWED -> new HttpError(405, "invalid_request_error", "method_not_allowed", false);
            case MAX_KEYS_REACHED -> new HttpError(409, "invalid_request_error", "max_keys_reached", false);
            case FILE_NOT_FOUND -> new HttpError(404, "invalid_request_error", "file_not_found", false);
            case MAX_FILES_REACHED -> new HttpError(409, "invalid_request_error", "max_files_reached", false);
            case STORAGE_QUOTA_EXCEEDED -> new HttpError(409, "invalid_request_error", "storage_quota_exceeded", false);
            case FILE_TOO_LARGE -> new HttpError(413, "invalid_request_error", "file_too_large", false);
            case AV_HIT -> new HttpError(422, "invalid_request_error", "av_hit", false);
            case SCANNER_UNAVAILABLE -> new HttpError(503, "api_error", "scanner_unavailable", true);
            case SIGN_IN_UNAVAILABLE -> new HttpError(503, "api_error", "sign_in_unavailable", true);
            case REQUEST_TOO_LARGE -> new HttpError(413, "invalid_request_error", "request_too_large", false);
            case RATE_LIMITED, STREAM_LIMIT_REACHED ->
                    new HttpError(429, "rate_limit_error", "rate_limit_exceeded", true);
            case KEY_CREATION_RATE_LIMITED -> new HttpError(429, "rate_limit_error", "rate_limit_exceeded", false);
            case UPSTREAM_ERROR -> new HttpError(502, "api_error", "upstream_error", true);
            case UPSTREAM_TIMEOUT -> new HttpError(504, "api_error", "upstream_timeout", true);
            case PAYMENTS_NOT_CONFIGURED -> new HttpError(503, "api_error", "payments_not_configured", false);
            case PAYMENTS_UNAVAILABLE -> new HttpError(503, "api_error", "payments_unavailable", true);
            case INTERNAL_ERROR -> new HttpError(500, "api_error", "internal_error", true);
        };
    }

    private static HttpError bad(String code) {
        return new HttpError(400, "invalid_request_error", code, false);
    }
}
