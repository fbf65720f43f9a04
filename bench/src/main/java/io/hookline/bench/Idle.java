package io.hookline.bench;

/** The footprint baseline: a JVM that does nothing. Prints "ready", then sleeps until killed (at most 5 minutes). */
public final class Idle {
    private Idle() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(300_000);
    }
}
