package io.hookline.outbound;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static io.hookline.outbound.CidrTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

class NetworkGuardTest {
    private final NetworkGuard strict = new NetworkGuard(List.of());

    /** An IPv6 address object even for IPv4-mapped forms, which InetAddress.getByName turns into IPv4. */
    static InetAddress v6(String literal) {
        try {
            byte[] b = InetAddress.getByName(literal).getAddress();
            if (b.length == 4) {
                b = new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, b[0], b[1], b[2], b[3]};
            }
            return Inet6Address.getByAddress(null, b, null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", // link-local: cloud metadata
            "100.64.0.1", "100.127.255.255", // CGNAT 100.64/10
            "224.0.0.1", "239.255.255.250", // multicast
            "240.0.0.1", "255.255.255.255", // reserved, broadcast
            "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1"})
    void deniesNonPublicIpv4(String address) {
        assertThat(strict.refusal(ip(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.169.0.1", "223.255.255.254"})
    void allowsPublicIpv4(String address) {
        assertThat(strict.refusal(ip(address))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "ff0e::1", "2001:db8::1",
            "fec0::1", "2002:7f00:1::1", "2001::1"})
    void deniesNonPublicIpv6(String address) {
        assertThat(strict.refusal(ip(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2606:4700:4700::1111", "2a00:1450:4007:80e::200e"})
    void allowsPublicIpv6(String address) {
        assertThat(strict.refusal(ip(address))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:100.64.0.1"})
    void deniesIpv4MappedForms(String address) {
        InetAddress mapped = v6(address);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(strict.refusal(mapped)).isPresent();
    }

    @Test
    void deniesIpv4CompatibleAndNat64FormsOfDeniedAddresses() {
        assertThat(strict.refusal(ip("::127.0.0.1"))).isPresent();
        assertThat(strict.refusal(ip("64:ff9b::7f00:1"))).isPresent(); // NAT64 of 127.0.0.1
        assertThat(strict.refusal(ip("64:ff9b::a01:203"))).isPresent(); // NAT64 of 10.1.2.3
        assertThat(strict.refusal(ip("64:ff9b::a9fe:a9fe"))).isPresent(); // NAT64 of 169.254.169.254
        assertThat(strict.refusal(ip("64:ff9b:1::a01:203"))).isPresent(); // local-use NAT64 prefix
    }

    @Test
    void allowsMappedAndNat64FormsOfPublicAddresses() {
        assertThat(strict.refusal(v6("::ffff:8.8.8.8"))).isEmpty();
        assertThat(strict.refusal(ip("64:ff9b::808:808"))).isEmpty();
    }

    @Test
    void unwrapsToIpv4() {
        assertThat(NetworkGuard.unwrap(v6("::ffff:127.0.0.1")).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(NetworkGuard.unwrap(ip("64:ff9b::a01:203")).getHostAddress()).isEqualTo("10.1.2.3");
        assertThat(NetworkGuard.unwrap(ip("::1"))).isEqualTo(ip("::1")); // ::1 is loopback, not IPv4-compatible
        assertThat(NetworkGuard.unwrap(ip("2606:4700::1"))).isEqualTo(ip("2606:4700::1"));
    }

    @Test
    void theReasonNamesTheAddressAndTheDeniedRange() {
        assertThat(strict.refusal(ip("100.64.0.1")).orElseThrow())
                .contains("100.64.0.1").contains("100.64.0.0/10").contains("network.allowedNetworks");
        assertThat(strict.refusal(v6("::ffff:127.0.0.1")).orElseThrow()).contains("127.0.0.0/8");
    }

    @Test
    void operatorsAllowRanges() {
        NetworkGuard loopback = new NetworkGuard(List.of("127.0.0.0/8", "::1/128"));
        assertThat(loopback.refusal(ip("127.0.0.1"))).isEmpty();
        assertThat(loopback.refusal(ip("::1"))).isEmpty();
        assertThat(loopback.refusal(v6("::ffff:127.0.0.1"))).isEmpty();
        assertThat(loopback.refusal(ip("10.0.0.1"))).isPresent();
        assertThat(loopback.refusal(ip("169.254.169.254"))).isPresent();

        NetworkGuard oneHost = new NetworkGuard(List.of("10.1.2.3/32"));
        assertThat(oneHost.refusal(ip("10.1.2.3"))).isEmpty();
        assertThat(oneHost.refusal(ip("10.1.2.4"))).isPresent();
    }

    @Test
    void literalsAreCheckedAndNamesLeftToDeliveryTime() {
        assertThat(strict.refusalOfLiteral("127.0.0.1")).isPresent();
        assertThat(strict.refusalOfLiteral("[::1]")).isPresent();
        assertThat(strict.refusalOfLiteral("[::ffff:127.0.0.1]")).isPresent();
        assertThat(strict.refusalOfLiteral("[64:ff9b::a01:203]")).isPresent();
        assertThat(strict.refusalOfLiteral("10.1.2.3")).isPresent();
        assertThat(strict.refusalOfLiteral("8.8.8.8")).isEmpty();
        assertThat(strict.refusalOfLiteral("[2606:4700:4700::1111]")).isEmpty();
        assertThat(strict.refusalOfLiteral("localhost")).isEmpty();
        // a bare number is an IPv4 address (java.net, curl and browsers read http://2130706433/ as 127.0.0.1)
        assertThat(strict.refusalOfLiteral("2130706433")).get().asString().contains("127.0.0.0/8");
        assertThat(strict.refusalOfLiteral("167772161")).isPresent(); // 10.0.0.1
        assertThat(strict.refusalOfLiteral("0")).isPresent();
        assertThat(strict.refusalOfLiteral("134744072")).isEmpty(); // 8.8.8.8
        assertThat(strict.refusalOfLiteral("4294967296")).get().asString().contains("invalid");
        assertThat(strict.refusalOfLiteral("99999999999999999999999")).get().asString().contains("invalid");
        assertThat(new NetworkGuard(List.of("127.0.0.0/8")).refusalOfLiteral("2130706433")).isEmpty();
        assertThat(strict.refusalOfLiteral("example.com")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "010.0.0.1", "8.8.8.08", "127.1", "10.1", "0x7f.0.0.1", "0x7f000001",
            "017700000001", "1.2.3.4.", "0.0.0.00", "00"})
    void ambiguousIpv4FormsAreRefused(String host) {
        assertThat(strict.refusalOfLiteral(host)).hasValueSatisfying(r -> assertThat(r).contains("ambiguous"));
        assertThat(new NetworkGuard(List.of("0.0.0.0/0")).refusalOfLiteral(host)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "example.com", "0xcafe.example", "123.example.com", "1password.com"})
    void canonicalAddressesAndNamesAreNotAmbiguous(String host) {
        assertThat(strict.refusalOfLiteral(host)).isEmpty();
    }
}
