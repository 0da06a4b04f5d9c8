package dev.fleetgate.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Not a test: starts N cores of the built distribution on one fresh database for the benchmarks
 * (bench/run-cores.sh), writes their URLs, JVM pids and the database to a file, and stops
 * everything (cores, database) when its standard input closes.
 *
 * <pre>java -cp ... dev.fleetgate.itests.BenchCores --cores 2 --ports 21500 --interval 5 --out FILE</pre>
 */
public final class BenchCores {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int n = Integer.parseInt(a.getOrDefault("cores", "1"));
        int ports = Integer.parseInt(a.getOrDefault("ports", "21500"));
        Path out = Path.of(a.getOrDefault("out", "bench-cores.env"));
        Path work = Files.createTempDirectory("fleetgate-bench-cores");
        TestDatabase db = TestDatabase.create();
        List<CoreProcess> cores = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(cores, db)));
        try {
            for (int i = 0; i < n; i++) {
                CoreProcess core = CoreProcess.install(
                        work.resolve("c" + i),
                        ports + 5 * i,
                        db,
                        Map.of("syncIntervalSeconds", a.getOrDefault("interval", "5")));
                cores.add(core);
                System.out.printf("core %d started in %s%n", i, core.start());
                core.admin(); // every module mounted
            }
            StringBuilder env = new StringBuilder();
            env.append("CORE_URLS=")
                    .append(String.join(
                            ",", cores.stream().map(CoreProcess::url).toList()))
                    .append('\n');
            env.append("CORE_PIDS=")
                    .append(String.join(
                            ",",
                            cores.stream().map(c -> String.valueOf(c.jvmPid())).toList()))
                    .append('\n');
            env.append("CORE_PASSWORD=").append(CoreProcess.ADMIN_PASSWORD).append('\n');
            env.append("DB_URL=").append(db.jdbcUrl()).append('\n');
            env.append("DB_USER=").append(TestDatabase.user()).append('\n');
            env.append("DB_PASSWORD=").append(TestDatabase.password()).append('\n');
            env.append("CORE_HOMES=")
                    .append(String.join(
                            ",", cores.stream().map(c -> c.home().toString()).toList()))
                    .append('\n');
            Files.writeString(out, env);
            System.out.println("ready: " + out);
            while (System.in.read() >= 0) {
                // until stdin closes
            }
        } finally {
            stop(cores, db);
        }
    }

    private static synchronized void stop(List<CoreProcess> cores, TestDatabase db) {
        for (CoreProcess c : cores) {
            c.close();
        }
        cores.clear();
        try {
            db.close();
        } catch (RuntimeException e) {
            // already dropped
        }
    }

    private BenchCores() {}
}
