package io.hookline.notifier;

/** Thrown by {@link Notifier#validateSettings} when settings are wrong; the message is shown to the client. */
public class InvalidSettingsException extends Exception {
    public InvalidSettingsException(String message) {
        super(message);
    }
}
