package dev.fleetgate.dns.internal;

/**
 * A zone as validated from a request.
 *
 * @param zone          apex, lower case, no trailing dot
 * @param tsigKeyName   null for unsigned messages
 * @param tsigSecret    base64 of the new secret, or null to keep the stored one (updates only)
 */
public record ZoneInput(
        String zone,
        String provider,
        String server,
        int port,
        String tsigKeyName,
        String tsigAlgorithm,
        String tsigSecret,
        int ttl) {

    @Override
    public String toString() {
        return "ZoneInput[zone=" + zone + ", provider=" + provider + ", server=" + server + ", port=" + port
                + ", tsigKeyName=" + tsigKeyName + ", tsigAlgorithm=" + tsigAlgorithm + ", tsigSecret="
                + (tsigSecret == null ? "null" : "(set)") + ", ttl=" + ttl + "]";
    }
}
