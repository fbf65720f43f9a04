package io.hookline.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the server logs to the console (the configured appender) while some work runs. */
public final class Console {
    private Console() {
    }

    /** Work that may throw, run with the console captured. */
    public interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} and returns everything printed to standard output meanwhile. */
    public static String capture(Work work) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
