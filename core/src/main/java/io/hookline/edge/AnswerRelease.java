package io.hookline.edge;

import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Gives a request's share of the {@link AnswerMemory} back once its answer has been written, or dropped: Jersey's
 * last event of every request, whatever happened.
 */
public final class AnswerRelease implements ApplicationEventListener {
    private static final RequestEventListener ON_FINISH = event -> {
        if (event.getType() == RequestEvent.Type.FINISHED
                && event.getContainerRequest().getProperty(RequestAttributes.ANSWER_BUDGET) instanceof AnswerBudget b) {
            b.release();
        }
    };

    @Override
    public void onEvent(ApplicationEvent event) {
        // Only requests matter.
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        return ON_FINISH;
    }
}
