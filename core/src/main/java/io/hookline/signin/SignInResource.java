package io.hookline.signin;

import io.hookline.auth.MethodCalls;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The sign-in page at a request's {@code authUrl}: the user reads what the app asks, signs in and accepts, or
 * refuses. Every outcome, including a wrong password or an expired request, is a page that says so.
 */
@Path("/reg/access/{key}/sign-in")
@Produces(MediaType.TEXT_HTML + ";charset=utf-8")
public final class SignInResource {
    // No script at all; the page cannot be framed by another site (a sign-in form in a frame invites clickjacking).
    private static final String POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' "
            + "http: https:; frame-ancestors 'none'; base-uri 'none'";

    private final MethodCalls api;
    private final AccessRequests requests;

    public SignInResource(MethodCalls api, AccessRequests requests) {
        this.api = api;
        this.requests = requests;
    }

    @GET
    public Response show(@PathParam("key") String key) {
        AccessRequest r;
        try {
            r = requests.open(key);
        } catch (ApiException e) {
            return html(404, SignInPage.gone(e.getMessage()));
        }
        return html(200, r.answered() ? SignInPage.answered(r) : SignInPage.form(r, null, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response answer(@PathParam("key") String key, @FormParam("username") String username,
                           @FormParam("password") String password, @FormParam("decision") String decision,
                           @Context UriInfo uri) {
        AccessRequest r;
        try {
            r = requests.open(key);
            if (r.answered()) return html(409, SignInPage.answered(r));
            r = "refuse".equals(decision) ? requests.refuse(key)
                    : requests.accept(key, trim(username), password == null ? "" : password, api.baseUrl(uri));
        } catch (ApiException e) {
            if (e.errorId() == ErrorId.UNKNOWN_RESOURCE) return html(404, SignInPage.gone(e.getMessage()));
            AccessRequest open = requests.open(key);
            if (open.answered()) return html(409, SignInPage.answered(open));
            return html(e.errorId().status(), SignInPage.form(open, trim(username), e.getMessage()));
        }
        AccessRequest done = r;
        return done.returnUrl().map(url -> back(url, done, api.baseUrl(uri)))
                .orElseGet(() -> html(200, SignInPage.answered(done)));
    }

    /** Sends the user back to the app, with the parameters the pryv library reads on its return page. */
    private static Response back(String returnUrl, AccessRequest r, String origin) {
        String last = returnUrl.substring(returnUrl.length() - 1);
        String sep = "?#&".contains(last) ? "" : (returnUrl.contains("?") ? "&" : "?");
        String target = returnUrl + sep + "prYvkey=" + enc(r.key()) + "&prYvstatus="
                + enc(r.outcome().get("status").asText()) + "&prYvpoll=" + enc(origin + "reg/access/" + r.key());
        return secure(Response.seeOther(URI.create(target))).build();
    }

    private static Response html(int status, String page) {
        return secure(Response.status(status).entity(page).type(MediaType.TEXT_HTML + ";charset=utf-8")).build();
    }

    private static Response.ResponseBuilder secure(Response.ResponseBuilder b) {
        return b.header("Content-Security-Policy", POLICY).header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
