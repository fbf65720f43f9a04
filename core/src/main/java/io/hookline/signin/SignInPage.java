package io.hookline.signin;

/**
 * The sign-in page's HTML: plain forms and one stylesheet, no script, so that it works without network access beyond
 * Hookline and with the keyboard alone. Every value that comes from a request is escaped.
 */
final class SignInPage {
    static final String STYLESHEET = "/reg/assets/sign-in.css";

    private SignInPage() {
    }

    /** The request and the sign-in form; {@code error} (may be null) says what went wrong with the last try. */
    static String form(AccessRequest r, String username, String error) {
        StringBuilder asked = new StringBuilder();
        for (AccessRequest.Asked a : r.permissions()) {
            String creation = PermissionWords.creation(a);
            asked.append("<li><strong>").append(esc(PermissionWords.stream(a))).append("</strong>: ")
                    .append(esc(PermissionWords.level(a.level())));
            if (creation != null) asked.append("<br><small>").append(esc(creation)).append("</small>");
            asked.append("</li>\n");
        }
        String alert = error == null ? ""
                : "<p class=\"error\" role=\"alert\" id=\"problem\">" + esc(error) + "</p>\n";
        return page("Sign in to allow " + r.appId(), """
                <h1>Allow <em>%1$s</em> to use your data?</h1>
                <p>The app <strong>%1$s</strong> asks to:</p>
                <ul class="asked">
                %2$s</ul>
                <form method="post" %3$s>
                %4$s<p><label for="username">Username</label>
                <input id="username" name="username" autocomplete="username" autocapitalize="none" required
                 value="%5$s" autofocus></p>
                <p><label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required></p>
                <p class="actions"><button type="submit" name="decision" value="accept">Sign in and allow</button>
                <button type="submit" name="decision" value="refuse" formnovalidate class="secondary">Refuse</button></p>
                </form>
                """.formatted(esc(r.appId()), asked, error == null ? "" : "aria-describedby=\"problem\"", alert,
                esc(username == null ? "" : username)));
    }

    /** What the user sees once the request is answered (now or earlier). */
    static String answered(AccessRequest r) {
        if (r.accepted()) {
            return page("Access given", """
                    <h1>Access given</h1>
                    <p role="status"><strong>%s</strong> can now use your data as you allowed, signed in as
                    <strong>%s</strong>. You can close this window and go back to the app.</p>
                    """.formatted(esc(r.appId()), esc(r.outcome().get("username").asText())));
        }
        return page("Access refused", """
                <h1>Access refused</h1>
                <p role="status"><strong>%s</strong> gets no access to your data. You can close this window.</p>
                """.formatted(esc(r.appId())));
    }

    /** The key is unknown or the request expired. */
    static String gone(String message) {
        return page("Sign-in request not found", """
                <h1>This sign-in request is no longer valid</h1>
                <p role="alert">%s. Requests expire after a few minutes: go back to the app and sign in again.</p>
                """.formatted(esc(message)));
    }

    private static String page(String title, String main) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Hookline</title>
                <link rel="stylesheet" href="%s">
                </head>
                <body>
                <main>
                %s</main>
                </body>
                </html>
                """.formatted(esc(title), STYLESHEET, main);
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
