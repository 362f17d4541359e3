package ai.sentx.local.http1;

import java.io.IOException;

/** A request that is not HTTP/1.1 as RFC 9112 writes it: answered 400, then the connection closes. */
class MalformedRequestException extends IOException {
    MalformedRequestException(String message) {
        super(message);
    }
}
