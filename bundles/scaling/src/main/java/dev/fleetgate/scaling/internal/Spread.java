package dev.fleetgate.scaling.internal;

/**
 * How a service-wide replica total is spread over the agents a service is placed on. The proxy module keeps one
 * replica count per service that every placed agent runs, so a total {@code T} over {@code n} agents becomes
 * {@code ceil(T / n)} per agent — rounded up, so that the service never gets less than the loop asked for — but
 * not above {@code floor(maxReplicas / n)} when that is at least 1 (so {@code maxReplicas} holds whenever it
 * can), and never above the proxy's per-agent limit. The total the loop sees next is {@code perAgent × n}.
 */
public final class Spread {
    /** The proxy module's highest replica count per agent. */
    public static final int MAX_PER_AGENT = 100;

    private Spread() {}

    /** @return the replicas each of {@code agents} agents runs for a service-wide {@code total} */
    public static int perAgent(int total, int agents, int maxReplicas) {
        if (total <= 0 || agents <= 0) {
            return 0;
        }
        int per = (total + agents - 1) / agents;
        int cap = maxReplicas / agents;
        if (cap >= 1) {
            per = Math.min(per, cap);
        }
        return Math.min(per, MAX_PER_AGENT);
    }

    /** @return the service-wide total of {@code perAgent} replicas on {@code agents} agents */
    public static int total(int perAgent, int agents) {
        return perAgent * Math.max(agents, 0);
    }
}
