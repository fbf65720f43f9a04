package io.hookline.notifier;

import java.io.IOException;

/** The target resolves to an address in a network the operator has not allowed (loopback, private, ...). */
public class BlockedTargetException extends IOException {
    public BlockedTargetException(String message) {
        super(message);
    }
}
