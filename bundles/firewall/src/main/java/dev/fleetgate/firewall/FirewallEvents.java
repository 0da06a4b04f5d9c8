package dev.fleetgate.firewall;

/**
 * What the firewall module tells other modules.
 * <ul>
 * <li>Module 8 (alerts): an {@code AlertEvent} of kind {@value #BLOCKED_KIND}, subject the client address, labels
 * {@code detector}, {@code scope} and {@code service} (when scoped), message the reason; firing when a client is
 * isolated (enforced), cleared when it is unblocked or its block expires.</li>
 * <li>{@value #BLOCKED_TOPIC} on EventAdmin, with the whole evidence: properties {@code ip}, {@code scope}
 * ({@code global} or {@code service}), {@code serviceId} (absent when global), {@code detector}, {@code action},
 * {@code enforced} (Boolean), {@code reason}, {@code expiresAt} (epoch ms), {@code evidence} (JSON text).</li>
 * </ul>
 */
public final class FirewallEvents {
    /** The alert kind of isolated clients. */
    public static final String BLOCKED_KIND = "firewall.blocked";
    /** Topic of every decision stored (enforced or shadow), with its evidence. */
    public static final String BLOCKED_TOPIC = "fleetgate/firewall/BLOCKED";

    private FirewallEvents() {}
}
