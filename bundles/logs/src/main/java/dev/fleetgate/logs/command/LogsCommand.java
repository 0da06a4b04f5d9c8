package dev.fleetgate.logs.command;

import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.logs.internal.LogFetcher;
import dev.fleetgate.logs.internal.LogPage;
import dev.fleetgate.logs.internal.LogQuery;

/**
 * {@code fleetgate:logs <agent> <container|nginx:access|nginx:error> [--follow] [--tail N] [--filter X]}:
 * prints log lines an agent reads on request; {@code --follow} asks again every second with
 * the cursor (only newer lines) until Ctrl-C.
 */
@Command(scope = "fleetgate", name = "logs", description = "Shows a container's (or nginx's) logs on an agent")
@Service
public class LogsCommand implements Action {
    private static final long FOLLOW_MILLIS = 1000;

    @Argument(index = 0, name = "agent", required = true, description = "Agent name or id")
    @Completion(AgentNameCompleter.class)
    String agent;

    @Argument(
            index = 1,
            name = "container",
            required = true,
            description = "Container id, id prefix or name; nginx:access or nginx:error for the agent's nginx logs")
    String container;

    @Option(name = "--follow", aliases = "-f", description = "Keep printing new lines until Ctrl-C")
    boolean follow;

    @Option(name = "--tail", aliases = "-n", description = "How many of the last lines (1-5000, default 100)")
    String tail;

    @Option(name = "--filter", description = "Only lines containing this text (case-insensitive)")
    String filter;

    @Option(name = "--stream", description = "all (default), stdout or stderr")
    String stream;

    @Reference
    LogFetcher fetcher;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        try {
            AgentInfo a = fetcher.agent(agent);
            Fields errors = new Fields();
            String nginx = container.startsWith("nginx:") ? LogQuery.nginxLog(container.substring(6), errors) : null;
            String ref =
                    nginx == null && !container.startsWith("nginx:") ? LogQuery.container(container, errors) : null;
            LogQuery q = LogQuery.parse(tail, null, filter, nginx == null ? stream : null, null, errors);
            errors.check();
            while (true) {
                try {
                    LogPage page = fetch(a.id(), ref, nginx, q);
                    for (LogPage.Line l : page.lines()) {
                        out.println((l.timestamp() == null ? "" : l.timestamp() + " ") + l.stream() + "  " + l.text());
                    }
                    if (page.cursor() != null) {
                        q = q.after(page.cursor());
                    }
                } catch (ApiException e) {
                    if (!follow || e.status() < 500) {
                        throw e;
                    }
                    System.err.println(describe(e) + " (retrying)"); // offline or slow agent: keep following
                }
                if (!follow || Thread.currentThread().isInterrupted()) {
                    return null;
                }
                Thread.sleep(FOLLOW_MILLIS); // the poll interval, not a wait for a service; Ctrl-C interrupts it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ApiException e) {
            System.err.println(describe(e));
        }
        return null;
    }

    private LogPage fetch(String agentId, String ref, String nginx, LogQuery q) throws InterruptedException {
        try {
            return (nginx != null ? fetcher.nginx(agentId, nginx, q) : fetcher.container(agentId, ref, q))
                    .toCompletableFuture()
                    .get(fetcher.waitTime().toSeconds() + 15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApiException a ? a : new ApiException(502, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new ApiException(504, "No answer from the agent in time");
        }
    }

    private static String describe(ApiException e) {
        StringBuilder sb = new StringBuilder(e.getMessage());
        for (FieldError f : e.errors()) {
            sb.append(System.lineSeparator())
                    .append("  ")
                    .append(f.field())
                    .append(": ")
                    .append(f.message());
        }
        return sb.toString();
    }
}
