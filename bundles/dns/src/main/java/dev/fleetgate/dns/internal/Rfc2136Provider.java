package dev.fleetgate.dns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import dev.fleetgate.api.IpAddresses;
import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsProvider;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.dns.TsigKey;

/**
 * RFC 2136 dynamic updates with dnsjava: one UPDATE message per batch of changes (atomic on
 * the server), over TCP, signed with the zone's TSIG key; lookups are TSIG-signed queries to
 * the same server.
 */
@Component(
        service = DnsProvider.class,
        property = DnsProvider.TYPE + "=" + Rfc2136Provider.TYPE,
        configurationPid = DnsConfig.PID)
public final class Rfc2136Provider implements DnsProvider {
    public static final String TYPE = "rfc2136";
    /** Changes per UPDATE message: well below the 64 KiB a TCP message may carry. */
    static final int BATCH = 200;

    private final Duration timeout;

    @Activate
    public Rfc2136Provider(DnsConfig config) {
        this(Duration.ofSeconds(config.timeoutSeconds()));
    }

    private Rfc2136Provider(Duration timeout) {
        this.timeout = timeout;
    }

    /** For tests and embedding. */
    public static Rfc2136Provider withTimeout(Duration timeout) {
        return new Rfc2136Provider(timeout);
    }

    @Override
    public void apply(DnsZone zone, List<RecordChange> changes) throws DnsException {
        Name origin = name(zone.name());
        for (int from = 0; from < changes.size(); from += BATCH) {
            List<RecordChange> batch = changes.subList(from, Math.min(changes.size(), from + BATCH));
            Update update = new Update(origin);
            for (RecordChange c : batch) {
                if (!zone.contains(base(c.record().name()))) {
                    throw new DnsException(
                            DnsException.Kind.REJECTED, c.record().name() + " is not in zone " + zone.name());
                }
                org.xbill.DNS.Record r = toRecord(c.record());
                if (c.operation() == RecordChange.Operation.ADD) {
                    update.add(r);
                } else {
                    update.delete(r);
                }
            }
            Message response = send(zone, update, "update");
            DnsException e = Rfc2136Errors.check(response, zone, true);
            if (e != null) {
                throw e;
            }
        }
    }

    @Override
    public List<DnsRecord> lookup(DnsZone zone, String name, RecordType type) throws DnsException {
        int t = Type.value(type.name());
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(name(name), t, DClass.IN));
        Message response = send(zone, query, "query");
        DnsException e = Rfc2136Errors.check(response, zone, false);
        if (e != null) {
            throw e;
        }
        List<DnsRecord> out = new ArrayList<>();
        for (org.xbill.DNS.Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == t) {
                out.add(fromRecord(r, type, name));
            }
        }
        return out;
    }

    private Message send(DnsZone zone, Message message, String what) throws DnsException {
        SimpleResolver resolver;
        try {
            InetAddress address = InetAddress.getByName(zone.server());
            resolver = new SimpleResolver(new InetSocketAddress(address, zone.port()));
        } catch (UnknownHostException e) {
            throw new DnsException(DnsException.Kind.NETWORK, "Cannot resolve DNS server " + zone.server());
        }
        resolver.setTCP(true);
        resolver.setTimeout(timeout);
        if (zone.key() != null) {
            resolver.setTSIGKey(tsig(zone.key()));
        }
        try {
            return resolver.send(message);
        } catch (SocketTimeoutException e) {
            throw new DnsException(
                    DnsException.Kind.NETWORK,
                    "DNS server " + where(zone) + " did not answer the " + what + " within " + timeout.toSeconds()
                            + " s",
                    e);
        } catch (IOException e) {
            throw new DnsException(
                    DnsException.Kind.NETWORK,
                    "DNS " + what + " to " + where(zone) + " failed: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    /** The dnsjava key for a {@link TsigKey}. */
    static TSIG tsig(TsigKey key) {
        return new TSIG(TSIG.algorithmToName(key.algorithm()), name(key.name()), key.secret());
    }

    static org.xbill.DNS.Record toRecord(DnsRecord r) throws DnsException {
        Name n = name(r.name());
        return switch (r.type()) {
            case A, AAAA -> address(n, r);
            case TXT -> {
                if (r.value().length() > 255) {
                    throw new DnsException(
                            DnsException.Kind.REJECTED, "TXT value of " + r.name() + " is longer than 255 characters");
                }
                yield new TXTRecord(n, DClass.IN, r.ttl(), r.value());
            }
        };
    }

    private static org.xbill.DNS.Record address(Name n, DnsRecord r) throws DnsException {
        String canonical = Addresses.canonical(r.value());
        if (canonical == null || Addresses.typeOf(canonical) != r.type()) {
            throw new DnsException(
                    DnsException.Kind.REJECTED,
                    r.value() + " is not an " + (r.type() == RecordType.A ? "IPv4" : "IPv6") + " address (record "
                            + r.name() + ")");
        }
        try {
            InetAddress a = InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(
                    canonical, r.type() == RecordType.A ? org.xbill.DNS.Address.IPv4 : org.xbill.DNS.Address.IPv6));
            return r.type() == RecordType.A
                    ? new ARecord(n, DClass.IN, r.ttl(), a)
                    : new AAAARecord(n, DClass.IN, r.ttl(), a);
        } catch (UnknownHostException e) {
            throw new DnsException(DnsException.Kind.REJECTED, r.value() + " is not an address");
        }
    }

    static DnsRecord fromRecord(org.xbill.DNS.Record r, RecordType type, String name) {
        String value =
                switch (type) {
                    case A -> IpAddresses.text(((ARecord) r).getAddress().getAddress());
                    case AAAA -> IpAddresses.text(((AAAARecord) r).getAddress().getAddress());
                    case TXT -> String.join("", ((TXTRecord) r).getStrings());
                };
        return new DnsRecord(name, type, value, (int) Math.min(Integer.MAX_VALUE, r.getTTL()));
    }

    static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("Not a DNS name: " + text, e);
        }
    }

    private static String base(String name) {
        return name.startsWith("*.") ? name.substring(2) : name;
    }

    private static String where(DnsZone zone) {
        return zone.server().indexOf(':') >= 0
                ? "[" + zone.server() + "]:" + zone.port()
                : zone.server() + ":" + zone.port();
    }
}
