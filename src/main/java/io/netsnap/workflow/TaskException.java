package io.netsnap.workflow;

/**
 * Why a user task could not be listed, shown or completed, in one line. The {@link Code} travels over the task
 * channel so that {@code netsnap tasks} can choose its exit code.
 */
public final class TaskException extends RuntimeException {

    /** What kind of failure. */
    public enum Code {
        /** No open user task with that key. */
        NOT_FOUND,
        /** The request is understood but not allowed: {@code --as} outside the lab, a rejected completion. */
        REFUSED,
        /** The request is malformed: unknown operation, a reserved variable, a bad name. */
        BAD_REQUEST,
        /** No netsnap with an embedded engine answers at the channel's path. */
        UNREACHABLE,
        /** Anything else: the engine did not confirm, the completion store cannot be written. */
        FAILED
    }

    private final Code code;

    public TaskException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
