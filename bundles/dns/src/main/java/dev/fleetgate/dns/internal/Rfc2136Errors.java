package dev.fleetgate.dns.internal;

import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsZone;

/** Turns an RFC 2136 answer into a clear error, or null when it is a success. */
final class Rfc2136Errors {
    private Rfc2136Errors() {}

    /**
     * @param update whether the message was an UPDATE (NXDOMAIN is an error only there)
     */
    static DnsException check(Message response, DnsZone zone, boolean update) {
        int rcode = response.getRcode();
        TSIGRecord tsig = response.getTSIG();
        int tsigError = tsig == null ? Rcode.NOERROR : tsig.getError();
        String keyText = zone.key() == null
                ? "unsigned"
                : "key " + zone.key().name() + " (" + zone.key().algorithm() + ")";
        if (tsigError != Rcode.NOERROR) {
            return new DnsException(
                    DnsException.Kind.AUTH,
                    "DNS server refused the TSIG signature with " + keyText + ": " + Rcode.TSIGstring(tsigError) + " ("
                            + tsigHint(tsigError) + ")");
        }
        if (rcode == Rcode.NOERROR || !update && rcode == Rcode.NXDOMAIN) {
            if (zone.key() != null && !response.isVerified()) {
                return new DnsException(
                        DnsException.Kind.AUTH,
                        "The DNS server's answer is not signed with " + keyText + ": cannot trust it");
            }
            return null;
        }
        return switch (rcode) {
            case Rcode.REFUSED ->
                new DnsException(
                        DnsException.Kind.AUTH,
                        "DNS server refused the "
                                + (update ? "update" : "query") + " of zone " + zone.name() + " (" + keyText + "): "
                                + (zone.key() == null
                                        ? "it needs a TSIG key (tsigKeyName, tsigSecret)"
                                        : "the key is not allowed to " + (update ? "update" : "query") + " this zone")
                                + " (REFUSED)");
            case Rcode.NOTAUTH ->
                new DnsException(
                        DnsException.Kind.REJECTED,
                        "DNS server is not authoritative for zone " + zone.name()
                                + " (NOTAUTH): check the zone name and that the server is its primary");
            case Rcode.NOTZONE ->
                new DnsException(
                        DnsException.Kind.REJECTED, "A record name is outside zone " + zone.name() + " (NOTZONE)");
            case Rcode.SERVFAIL ->
                new DnsException(
                        DnsException.Kind.SERVER,
                        "DNS server failed the " + (update ? "update" : "query") + " of zone " + zone.name()
                                + " (SERVFAIL); see its log");
            default ->
                new DnsException(
                        DnsException.Kind.REJECTED,
                        "DNS server answered " + Rcode.string(rcode) + " to the " + (update ? "update" : "query")
                                + " of zone " + zone.name());
        };
    }

    private static String tsigHint(int error) {
        return switch (error) {
            case Rcode.BADKEY -> "the server knows no key with this name and algorithm";
            case Rcode.BADSIG -> "the secret does not match the server's";
            case Rcode.BADTIME -> "the clocks of core and server differ by more than 5 minutes";
            case Rcode.BADTRUNC -> "truncated signature refused";
            default -> "see the server's log";
        };
    }
}
