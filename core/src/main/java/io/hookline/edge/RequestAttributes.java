package io.hookline.edge;

/** Names of the per-request values the edge keeps (server time of the request, authenticated access). */
public final class RequestAttributes {
    public static final String SERVER_TIME = "hookline.serverTime";
    public static final String ACCESS_ID = "hookline.accessId";
    public static final String ANSWER_BUDGET = "hookline.answerBudget";

    private RequestAttributes() {
    }
}
