package io.hookline.signin;

/** What an asked permission lets an app do, in the plain words the sign-in page shows the user. */
final class PermissionWords {
    private PermissionWords() {
    }

    /** "Count (count)", or "all your streams" for {@code *}. */
    static String stream(AccessRequest.Asked a) {
        if (a.streamId().equals("*")) return "all your streams";
        return a.defaultName() != null && !a.defaultName().equals(a.streamId())
                ? a.defaultName() + " (" + a.streamId() + ")"
                : a.streamId();
    }

    static String level(String level) {
        return switch (level) {
            case "read" -> "see its events";
            case "create-only" -> "add events, without seeing any";
            case "contribute" -> "see, add, change and delete events";
            case "manage" -> "see, add, change and delete events and streams, and share them";
            default -> throw new IllegalArgumentException("unknown level " + level);
        };
    }

    /** Said of a stream the app names, since the page cannot know before sign-in whether the user has it. */
    static String creation(AccessRequest.Asked a) {
        if (a.streamId().equals("*")) return null;
        String name = a.defaultName() != null ? a.defaultName() : a.streamId();
        return "If you have no stream “" + a.streamId() + "”, it is created, named “" + name + "”.";
    }
}
