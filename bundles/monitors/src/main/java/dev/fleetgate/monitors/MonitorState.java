package dev.fleetgate.monitors;

/** Where a monitor stands, from the latest results of its agents. */
public enum MonitorState {
    /** No result yet from any online agent. */
    PENDING,
    /** Every online agent's checks pass (or fail fewer times in a row than the confirmations). */
    UP,
    /** Some online agents have failed {@code confirmations} times in a row, others pass. */
    DEGRADED,
    /** Every online agent that reported has failed {@code confirmations} times in a row. */
    DOWN,
    /** All of the monitor's agents are offline: nothing is known. */
    UNKNOWN
}
