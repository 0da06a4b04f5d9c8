package dev.fleetgate.agents.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Threads;
import dev.fleetgate.persistence.Database;

/**
 * Change signals about agents, in-process and between cores: {@code LISTEN fleetgate_agent}
 * on a dedicated connection (own thread, reconnects on failure) and {@link #local} for
 * changes made here. The payload is an agent id, or {@value #ALL} for every agent.
 *
 * <p>The same connection listens on {@value #TASK_CHANNEL}: a task finished (payload = task
 * id), for whoever waits for it on any core. Task listeners get null after a reconnect
 * (signals may have been missed).
 *
 * <p>And on {@value #SEEN_CHANNEL}: the liveness handover between cores (see
 * {@link AgentRegistry#handover}); its listeners get the raw payload, and null after a reconnect.
 */
@Component(service = Notifier.class)
public final class Notifier {
    public static final String CHANNEL = "fleetgate_agent";
    public static final String ALL = "*";
    public static final String TASK_CHANNEL = "fleetgate_task";
    public static final String SEEN_CHANNEL = "fleetgate_seen";
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /** Receives change signals; {@code agentId} is null for every agent. Must be quick. */
    @FunctionalInterface
    public interface Listener {
        void changed(String agentId);
    }

    private final DataSource dataSource;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Listener> taskListeners = new CopyOnWriteArrayList<>();
    private final List<Listener> seenListeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private volatile CountDownLatch listening = new CountDownLatch(1);
    private Connection connection;

    @Activate
    public Notifier(@Reference(target = Database.TARGET) DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = Threads.daemon("fleetgate-agent-listen").newThread(this::run);
        thread.start();
    }

    /** Listeners are called in the order they were added. */
    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** Listens for finished tasks; the argument is a task id, or null for "any task". */
    public void addTaskListener(Listener l) {
        taskListeners.add(l);
    }

    public void removeTaskListener(Listener l) {
        taskListeners.remove(l);
    }

    /** Listens for liveness handovers of other cores; the argument is the raw payload, null after a reconnect. */
    public void addSeenListener(Listener l) {
        seenListeners.add(l);
    }

    public void removeSeenListener(Listener l) {
        seenListeners.remove(l);
    }

    /** Signals a change made by this core to its own listeners at once (after commit). */
    public void local(String agentIdOrAll) {
        dispatch(agentIdOrAll);
    }

    /** For tests and start-up: waits until LISTEN is in place. */
    public boolean awaitListening(long millis) throws InterruptedException {
        return listening.await(millis, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }

    private void dispatch(String payload) {
        dispatch(listeners, payload);
    }

    private static void dispatch(List<Listener> listeners, String payload) {
        String agentId = payload == null || ALL.equals(payload) ? null : payload;
        for (Listener l : listeners) {
            try {
                l.changed(agentId);
            } catch (RuntimeException e) {
                LOG.warn("Agent change listener failed for {}", payload, e);
            }
        }
    }

    private static void safely(Listener l, String payload) {
        try {
            l.changed(payload);
        } catch (RuntimeException e) {
            LOG.warn("Liveness listener failed", e);
        }
    }

    private void run() {
        long backoff = 500;
        boolean reconnected = false;
        while (running) {
            try {
                Connection c = dataSource.getConnection();
                synchronized (lock) {
                    connection = c;
                }
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + TASK_CHANNEL);
                    s.execute("LISTEN " + SEEN_CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening.countDown();
                backoff = 500;
                if (reconnected) {
                    dispatch(ALL); // signals may have been missed while disconnected
                    dispatch(taskListeners, ALL);
                    for (Listener l : seenListeners) {
                        safely(l, null);
                    }
                }
                while (running) {
                    PGNotification[] ns = pg.getNotifications(1000);
                    if (ns != null) {
                        for (PGNotification n : ns) {
                            if (SEEN_CHANNEL.equals(n.getName())) {
                                for (Listener l : seenListeners) {
                                    safely(l, n.getParameter());
                                }
                            } else {
                                dispatch(
                                        TASK_CHANNEL.equals(n.getName()) ? taskListeners : listeners, n.getParameter());
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("LISTEN {} failed ({}); reconnecting in {} ms", CHANNEL, e.getMessage(), backoff);
                listening = new CountDownLatch(1);
                reconnected = true;
                closeConnection();
                pause(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        closeConnection();
    }

    private void pause(long millis) {
        synchronized (lock) {
            try {
                lock.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void closeConnection() {
        synchronized (lock) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.debug("Closing the LISTEN connection", e);
                }
                connection = null;
            }
        }
    }
}
