package io.hookline.startup;

/**
 * A reason the server cannot start that the operator can fix: the message is one line naming the setting or path
 * and what to do, and it is all the start-up commands print (no stack trace).
 */
public class StartupFailure extends RuntimeException {
    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
