package io.hookline.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.hookline.delivery.DeliveryMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code /metrics/prometheus} on the admin port, in the Prometheus text format: deliveries as one counter labelled by
 * outcome and notifier type
 * ({@code hookline_deliveries_total{outcome="delivered|retry|permanent", type="http|..."}}), every other Dropwizard metric
 * (Hookline's gauges and timers, Jetty's, the database pools') through the Prometheus client's bridge, and the JVM's
 * standard metrics from the client's own instrumentation (in place of Dropwizard's {@code jvm.*}).
 */
public final class PrometheusMetrics {
    public static final String PATH = "/metrics/prometheus";

    private PrometheusMetrics() {
    }

    public static void serve(Environment env, DeliveryMetrics deliveries) {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricRegistry metrics = env.metrics();
        MetricFilter rest = (name, metric) -> !name.startsWith("jvm.") && !DeliveryMetrics.isOutcomeMeter(name);
        DropwizardExports.builder().dropwizardRegistry(metrics).metricFilter(rest).register(registry);
        registry.register(outcomes(deliveries));
        JvmMetrics.builder().register(registry);
        env.admin().addServlet("prometheus", new Endpoint(registry)).addMapping(PATH);
    }

    private static Collector outcomes(DeliveryMetrics deliveries) {
        return new Collector() {
            @Override
            public MetricSnapshot collect() {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name("hookline_deliveries")
                        .help("Delivery attempts by outcome (delivered; retry: failed, tried again later; permanent: "
                                + "failed for good) and notifier type");
                deliveries.countsByType().forEach((type, counts) -> counts.forEach((outcome, count) ->
                        b.dataPoint(CounterDataPointSnapshot.builder()
                                .labels(Labels.of("outcome", outcome, "type", type)).value(count).build())));
                return b.build();
            }

            @Override
            public String getPrometheusName() {
                return "hookline_deliveries";
            }
        };
    }

    /** Writes a scrape with the client library's own text format writer. */
    private static final class Endpoint extends HttpServlet {
        private final transient PrometheusRegistry registry;
        private final transient PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

        Endpoint(PrometheusRegistry registry) {
            this.registry = registry;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.setContentType(writer.getContentType());
            resp.setHeader("Cache-Control", "no-store");
            writer.write(resp.getOutputStream(), registry.scrape());
        }
    }
}
