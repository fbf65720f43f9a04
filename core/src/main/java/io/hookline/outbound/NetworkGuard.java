package io.hookline.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which addresses webhook targets may reach. Everything that is not public unicast is denied (loopback,
 * private, link-local, CGNAT, multicast, documentation, reserved, unique-local IPv6, and IPv4 hidden in IPv6 forms),
 * except ranges the operator allows in {@code network.allowedNetworks}.
 */
public final class NetworkGuard {
    static final List<Cidr> DENIED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
            "fec0::/10", "ff00::/8",
            // local-use NAT64 (RFC 8215): translates to IPv4 at an operator-chosen offset, so it cannot be
            // unwrapped and checked like 64:ff9b::/96; it is not globally reachable anyway
            "64:ff9b:1::/48").stream().map(Cidr::parse).toList();

    /** Dot-separated decimal, octal or hex numbers: what some resolver somewhere reads as an IPv4 address. */
    private static final Pattern AMBIGUOUS_CANDIDATE =
            Pattern.compile("(?i)(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+)){0,3}\\.?");
    private static final Pattern CANONICAL_IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)");

    private final List<Cidr> allowed;

    public NetworkGuard(List<String> allowedCidrs) {
        this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
    }

    /** Why the address is refused, or empty when it may be reached. */
    public Optional<String> refusal(InetAddress address) {
        InetAddress a = unwrap(address);
        for (Cidr ok : allowed) {
            if (ok.contains(a) || ok.contains(address)) return Optional.empty();
        }
        for (Cidr denied : DENIED) {
            if (denied.contains(a)) {
                return Optional.of(address.getHostAddress() + " is in the denied range " + denied
                        + " (allow it in network.allowedNetworks)");
            }
        }
        return Optional.empty();
    }

    /** For a URL host written as an IP literal: why it is refused; empty for names and allowed literals. */
    public Optional<String> refusalOfLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isAmbiguousIpv4(h)) {
            return Optional.of("ambiguous address " + host
                    + ": write an IPv4 address as four decimal numbers without leading zeros");
        }
        if (h.matches("\\d+")) {
            // A bare number is an IPv4 address to java.net (and curl, browsers): http://2130706433/ is 127.0.0.1.
            // No DNS name is all digits, so treat it as the literal it is instead of waiting for delivery time.
            long v = h.length() <= 10 ? Long.parseLong(h) : -1;
            if (v < 0 || v > 0xFFFFFFFFL) return Optional.of("invalid address " + host);
            try {
                return refusal(InetAddress.getByAddress(new byte[]{(byte) (v >>> 24), (byte) (v >>> 16),
                        (byte) (v >>> 8), (byte) v}));
            } catch (UnknownHostException e) {
                return Optional.of("invalid address " + host);
            }
        }
        if (!isIpLiteral(h)) return Optional.empty();
        try {
            return refusal(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.of("invalid address " + host);
        }
    }

    /**
     * Numeric hosts other than a plain number or a canonical dotted quad: {@code 0177.0.0.1} is 127.0.0.1 to resolvers
     * that read octal and 177.0.0.1 to Java; {@code 127.1} and {@code 0x7f.1} have their own readings. Which address
     * such a host reaches depends on who reads it, so none is accepted.
     */
    static boolean isAmbiguousIpv4(String h) {
        if (!AMBIGUOUS_CANDIDATE.matcher(h).matches()) return false;
        if (h.matches("[1-9]\\d*|0")) return false;
        return !CANONICAL_IPV4.matcher(h).matches();
    }

    static boolean isIpLiteral(String h) {
        return h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (h.contains(":") && h.matches("[0-9a-fA-F:.%a-zA-Z0-9]+"));
    }

    /** IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible and NAT64 ({@code 64:ff9b::/96}) forms are checked as IPv4. */
    static InetAddress unwrap(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address;
        byte[] b = address.getAddress();
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) zeros80 &= b[i] == 0;
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) nat64 = b[i] == 0;
        if (mapped || compatible || nat64) {
            try {
                return Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
            } catch (UnknownHostException e) {
                return address;
            }
        }
        return address;
    }
}
