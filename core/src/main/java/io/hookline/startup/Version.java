package io.hookline.startup;

/** This Hookline's version, from the jar's manifest ({@code java -jar hookline.jar --version} prints it too). */
public final class Version {
    private Version() {
    }

    /** The version, or "development" when running from classes rather than the built jar. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
