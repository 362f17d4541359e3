package ai.sentx.domain;

/**
 * Every expected way a request can fail, as named by the contract's error table (CONTRACT §3).
 * The HTTP adapter maps each constant to a status, type and code in one exhaustive switch, so a
 * new constant does not compile until it has an HTTP meaning.
 */
public enum Problem {
    INVALID_JSON,
    MISSING_REQUIRED_PARAMETER,
    INVALID_PARAMETER,
    SYSTEM_MESSAGE_TOO_LONG,
    IMAGE_TOO_LARGE,
    INVALID_IMAGE,
    UNSUPPORTED_URL_SCHEME,
    UNSUPPORTED_CONTENT,
    INVALID_FILE_FORMAT,
    ATTACHED_FILE_NOT_FOUND,
    INVALID_SIGNATURE,
    INVALID_API_KEY,
    INVALID_SESSION,
    INSUFFICIENT_BALANCE,
    NOT_FOUND,
    MODEL_NOT_FOUND,
    KEY_NOT_FOUND,
    METHOD_NOT_ALLOWED,
    MAX_KEYS_REACHED,
    FILE_NOT_FOUND,
    MAX_FILES_REACHED,
    STORAGE_QUOTA_EXCEEDED,
    FILE_TOO_LARGE,
    AV_HIT,
    SCANNER_UNAVAILABLE,
    SIGN_IN_UNAVAILABLE,
    REQUEST_TOO_LARGE,
    RATE_LIMITED,
    KEY_CREATION_RATE_LIMITED,
    STREAM_LIMIT_REACHED,
    UPSTREAM_ERROR,
    UPSTREAM_TIMEOUT,
    PAYMENTS_NOT_CONFIGURED,
    PAYMENTS_UNAVAILABLE,
    INTERNAL_ERROR
}
