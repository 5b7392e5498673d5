package io.netsnap.backup;

/**
 * A process variable names something netsnap does not hold: a device that is not in the run's inventory, an ASA
 * context that neither the inventory lists nor discovery found, a run reference that is not one of netsnap's. Variables
 * can be edited by anyone with Operate, Tasklist or engine access, so this is refused, never retried, and nothing is
 * read from Vault or connected to first.
 */
public class UnknownReferenceException extends RuntimeException {

    /** What the variable named. */
    public enum Kind { DEVICE, CONTEXT, RUN }

    private final Kind kind;

    public UnknownReferenceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
