package io.hookline.outbound;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void byteAlignedIpv4Prefix() {
        Cidr c = Cidr.parse("10.0.0.0/8");
        assertThat(c.contains(ip("10.0.0.0"))).isTrue();
        assertThat(c.contains(ip("10.255.255.255"))).isTrue();
        assertThat(c.contains(ip("11.0.0.0"))).isFalse();
        assertThat(c.contains(ip("9.255.255.255"))).isFalse();
    }

    @Test
    void prefixNotOnAByteBoundary() {
        Cidr cgnat = Cidr.parse("100.64.0.0/10");
        assertThat(cgnat.contains(ip("100.64.0.0"))).isTrue();
        assertThat(cgnat.contains(ip("100.127.255.255"))).isTrue();
        assertThat(cgnat.contains(ip("100.128.0.0"))).isFalse();
        assertThat(cgnat.contains(ip("100.63.255.255"))).isFalse();
        Cidr private172 = Cidr.parse("172.16.0.0/12");
        assertThat(private172.contains(ip("172.31.255.255"))).isTrue();
        assertThat(private172.contains(ip("172.32.0.0"))).isFalse();
    }

    @Test
    void ipv6Prefixes() {
        Cidr linkLocal = Cidr.parse("fe80::/10");
        assertThat(linkLocal.contains(ip("fe80::1"))).isTrue();
        assertThat(linkLocal.contains(ip("febf:ffff::1"))).isTrue();
        assertThat(linkLocal.contains(ip("fec0::1"))).isFalse();
        Cidr uniqueLocal = Cidr.parse("fc00::/7");
        assertThat(uniqueLocal.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(uniqueLocal.contains(ip("fe00::1"))).isFalse();
    }

    @Test
    void aSingleAddressWithoutPrefixAndTheWholeSpace() {
        Cidr one = Cidr.parse("192.0.2.7");
        assertThat(one.prefix()).isEqualTo(32);
        assertThat(one.contains(ip("192.0.2.7"))).isTrue();
        assertThat(one.contains(ip("192.0.2.8"))).isFalse();
        Cidr all = Cidr.parse("0.0.0.0/0");
        assertThat(all.contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("::1").contains(ip("::1"))).isTrue();
    }

    @Test
    void familiesDoNotMix() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void hostBitsInTheNetworkAreIgnored() {
        assertThat(Cidr.parse("10.1.2.3/8").contains(ip("10.200.0.1"))).isTrue();
    }

    @Test
    void rejectsNamesAndBadPrefixesWithoutALookup() {
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trimsAndKeepsItsText() {
        assertThat(Cidr.parse(" 127.0.0.0/8 ").toString()).isEqualTo("127.0.0.0/8");
    }
}
