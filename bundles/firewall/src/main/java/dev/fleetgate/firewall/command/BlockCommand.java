package dev.fleetgate.firewall.command;

import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.firewall.detect.AddressRanges;
import dev.fleetgate.firewall.internal.FirewallService;
import dev.fleetgate.firewall.internal.FirewallStore;

/** {@code fleetgate:block <ip>}: blocks a client everywhere, or on one service ({@code --service}). */
@Command(
        scope = "fleetgate",
        name = "block",
        description = "Blocks a client address (403, 429 with --limit, a browser check with --challenge)")
@Service
public class BlockCommand implements Action {

    @Reference
    FirewallService firewall;

    @Argument(index = 0, name = "ip", description = "Client address", required = true)
    String ip;

    @Option(name = "--service", description = "Service id (default: every service)")
    String service;

    @Option(name = "--ttl", description = "Seconds (default: the settings' TTL, doubled per earlier offence)")
    Integer ttl;

    @Option(name = "--limit", description = "Answer 429 instead of 403")
    boolean limit;

    @Option(name = "--challenge", description = "Answer a page only a browser passes (a cookie set by script)")
    boolean challenge;

    @Option(name = "--reason", description = "Reason shown with the block")
    String reason;

    @Override
    public Object execute() {
        String a = AddressRanges.normalise(ip);
        if (a == null || a.contains("/")) {
            System.err.println("Not an IPv4 or IPv6 address: " + ip);
            return null;
        }
        String why = firewall.protectedReason(a);
        if (why != null) {
            System.err.println(a + " " + why + ": never blocked");
            return null;
        }
        UUID svc;
        try {
            svc = Options.serviceId(service);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
        if (ttl != null && (ttl < 10 || ttl > 31_536_000)) {
            System.err.println("--ttl must be 10..31536000");
            return null;
        }
        if (limit && challenge) {
            System.err.println("--limit or --challenge, not both");
            return null;
        }
        String text = reason == null || reason.isBlank() ? "blocked by hand" : reason.strip();
        if (text.length() > 500 || dev.fleetgate.api.input.Fields.hasControl(text)) {
            System.err.println("--reason must be at most 500 characters without control characters");
            return null;
        }
        FirewallStore.Block b = firewall.block(
                a,
                svc,
                ttl,
                FirewallService.MANUAL,
                limit ? "limit" : challenge ? "challenge" : "block",
                true,
                text,
                null);
        System.out.println("Blocked " + b.ip() + " (" + b.scopeKey() + ") until " + b.expiresAt());
        return null;
    }
}
