package io.netsnap.notify;

/** A channel could not deliver a message. Its message is one line and names no secret. */
class NotifyException extends RuntimeException {

    NotifyException(String message) {
        super(message, null, false, false);
    }
}
