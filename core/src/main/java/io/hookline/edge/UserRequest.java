package io.hookline.edge;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

/** The parts of a request on {@code /{username}/...} that a call needs; injected with {@code @BeanParam}. */
public class UserRequest {
    @PathParam("username")
    String username;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @Context
    HttpServletRequest servlet;

    public String username() {
        return username;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public UriInfo uri() {
        return uri;
    }

    public HttpServletRequest servlet() {
        return servlet;
    }
}
