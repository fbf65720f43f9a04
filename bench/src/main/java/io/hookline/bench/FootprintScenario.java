package io.hookline.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * 5. Footprint: start-up time to the first served request; resident memory (VmRSS) and heap (jcmd GC.heap_info)
 * after start, then with many registered webhooks (created by batch calls of 1,000 across users, each user's app
 * access owning 1,000), as is and after a full GC. The server runs with the JVM's default heap settings, as
 * {@code java -jar} would. Baseline: an idle JVM started the same way (same java, no flags).
 */
final class FootprintScenario {
    static final String NAME = "5. footprint";

    private FootprintScenario() {
    }

    static void run(Setup s, Results results, List<String> jvmArgs) throws Exception {
        Sizes z = s.sizes();
        double[] idle = idleJvm(s);
        try (HooklineProcess server = HooklineProcess.start(s,
                new HooklineProcess.Options("footprint", 5000, 5, null, jvmArgs))) {
            List<String> phases = server.startupLog();
            Files.write(s.outDir().resolve(s.engine().tag("startup-log") + ".txt"), phases);
            results.add(new Results.Row(NAME, "start-up to first served request",
                    Results.fmt(server.startupSeconds, 2) + " s", server.startupSeconds, "s",
                    "idle JVM " + Results.fmt(idle[0], 2) + " s", idle[0], "< 5 s", server.startupSeconds < 5,
                    Map.of("startupLog", phases)));
            TimeUnit.SECONDS.sleep(1);
            double rssStart = server.rssMiB();
            Map<String, Double> heapStart = server.heapInfo();
            results.add(new Results.Row(NAME, "resident memory after start",
                    Results.fmt(rssStart, 0) + " MiB (heap used " + mib(heapStart, "heapUsedMiB") + " of "
                            + mib(heapStart, "heapCommittedMiB") + " committed)",
                    rssStart, "MiB", "idle JVM " + Results.fmt(idle[1], 0) + " MiB", idle[1], null, null,
                    new LinkedHashMap<>(heapStart)));

            int webhooks = z.footprintWebhooks();
            int per = z.footprintPerUser();
            int users = webhooks / per;
            Api api = new Api(server);
            long t0 = System.nanoTime();
            api.parallel(users, 8, (http, i) -> {
                Api.User u = api.createUser(http, String.format("fp-%05d", i));
                List<String> urls = new ArrayList<>(per);
                for (int j = 0; j < per; j++) urls.add(s.receiver().url("ok", "fp/" + i + "/" + j));
                api.createWebhooks(http, u, urls);
                return u;
            });
            double createSeconds = (System.nanoTime() - t0) / 1e9;
            results.add(new Results.Row(NAME, String.format("webhooks.create in batches of %,d (%,d users)", per, users),
                    Results.rate(webhooks / createSeconds), webhooks / createSeconds, "webhooks/s", null, Double.NaN,
                    null, null, Map.of("seconds", createSeconds)));
            TimeUnit.SECONDS.sleep(1);
            double rss = server.rssMiB();
            Map<String, Double> heap = server.heapInfo();
            String scale = String.format("%,d", webhooks);
            Map<String, Object> d = new LinkedHashMap<>(heap);
            results.add(new Results.Row(NAME, "resident memory with " + scale + " webhooks",
                    Results.fmt(rss, 0) + " MiB (heap used " + mib(heap, "heapUsedMiB") + " of "
                            + mib(heap, "heapCommittedMiB") + " committed)",
                    rss, "MiB", "after start " + Results.fmt(rssStart, 0) + " MiB", rssStart,
                    webhooks >= 100_000 ? "< 512 MiB" : "< 512 MiB (at 100,000)",
                    webhooks >= 100_000 ? rss < 512 : null, d));
            server.jcmd("GC.run");
            TimeUnit.MILLISECONDS.sleep(500);
            double rssGc = server.rssMiB();
            Map<String, Double> heapGc = server.heapInfo();
            results.add(new Results.Row(NAME, "… after a full GC (jcmd GC.run)",
                    Results.fmt(rssGc, 0) + " MiB (heap used " + mib(heapGc, "heapUsedMiB") + " of "
                            + mib(heapGc, "heapCommittedMiB") + " committed)",
                    rssGc, "MiB", "after start " + Results.fmt(rssStart, 0) + " MiB", rssStart, null, null,
                    new LinkedHashMap<>(heapGc)));
        }
    }

    private static String mib(Map<String, Double> m, String key) {
        Double v = m.get(key);
        return v == null ? "?" : Results.fmt(v, 0);
    }

    /** Start-up seconds (to "ready") and resident MiB of an idle JVM. */
    private static double[] idleJvm(Setup s) throws Exception {
        Path self = Path.of(Idle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(java, "-cp", self.toString(), Idle.class.getName())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            double startup = (System.nanoTime() - t0) / 1e9;
            if (!"ready".equals(line)) throw new IllegalStateException("idle JVM said " + line);
            TimeUnit.SECONDS.sleep(1);
            double rss = 0;
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
            return new double[] {startup, rss};
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
