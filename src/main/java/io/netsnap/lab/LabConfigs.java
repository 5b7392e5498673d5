package io.netsnap.lab;

import java.util.Random;

/**
 * Running configurations for lab devices: realistic IOS / IOS-XE, NX-OS and ISE bodies (what follows the volatile
 * header of {@code show running-config}), deterministic per device so an untouched device backs up unchanged. Hashes
 * and keys are fakes, never the lab's login secrets; they look like the real thing so that masking can be tested.
 */
public final class LabConfigs {

    /** The characters of crypt(3) salts and hashes ({@code $5$salt$hash}). */
    private static final String CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String HEX = "0123456789abcdef";
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private LabConfigs() {
    }

    /** A WAN edge router. */
    public static String router(String hostname, int site) {
        StringBuilder c = header(hostname);
        c.append("""
                vrf definition Mgmt-intf
                 !
                 address-family ipv4
                 exit-address-family
                !
                ntp clock-period 36028797018963968
                !
                interface GigabitEthernet0/0/0
                 description WAN uplink to ISP-A
                 ip address 198.51.100.%1$d 255.255.255.252
                 negotiation auto
                !
                interface GigabitEthernet0/0/1
                 description LAN core
                 ip address 10.%1$d.0.1 255.255.255.0
                 ip ospf 1 area 0
                 negotiation auto
                !
                interface GigabitEthernet0
                 vrf forwarding Mgmt-intf
                 ip address 192.0.2.%1$d 255.255.255.0
                !
                router ospf 1
                 router-id 10.%1$d.0.1
                 passive-interface default
                 no passive-interface GigabitEthernet0/0/1
                !
                router bgp 6500%1$d
                 bgp log-neighbor-changes
                 neighbor 198.51.100.%2$d remote-as 64496
                 neighbor 198.51.100.%2$d password 7 0822455D0A16544541
                !
                ip route 0.0.0.0 0.0.0.0 198.51.100.%2$d
                ip ssh version 2
                !
                snmp-server community n3tsn4p-lab-ro RO
                snmp-server location Site %1$d
                !
                """.formatted(site, site + 1));
        return footer(c);
    }

    /** An aggregation switch with 48 access ports: long enough to page. */
    public static String aggregationSwitch(String hostname, int site) {
        StringBuilder c = header(hostname);
        c.append("vlan 10\n name USERS\n!\nvlan 20\n name VOICE\n!\nvlan 99\n name MGMT\n!\n");
        c.append("spanning-tree mode rapid-pvst\nspanning-tree extend system-id\n!\n");
        for (int port = 1; port <= 48; port++) {
            c.append("interface GigabitEthernet1/0/").append(port).append('\n')
                    .append(" description access-").append(site).append('-').append(port).append('\n')
                    .append(" switchport access vlan ").append(port % 2 == 0 ? 20 : 10).append('\n')
                    .append(" switchport mode access\n")
                    .append(" spanning-tree portfast\n!\n");
        }
        c.append("""
                interface Vlan99
                 ip address 10.99.%1$d.2 255.255.255.0
                !
                ip default-gateway 10.99.%1$d.1
                ip ssh version 2
                !
                tacacs server ISE-1
                 address ipv4 10.99.0.20
                 key 7 070C285F4D06485744
                !
                """.formatted(site));
        return footer(c);
    }

    private static StringBuilder header(String hostname) {
        return new StringBuilder("""
                version 17.9
                service timestamps debug datetime msec
                service timestamps log datetime msec
                service password-encryption
                !
                hostname %s
                !
                boot-start-marker
                boot-end-marker
                !
                enable secret 9 $9$4Cc9yxv9u1dOe.$8sCIrmpyM5m0A2UOl2EPaSbJhXBRg8i.FOnR5SdYwtE
                !
                aaa new-model
                aaa authentication login default local
                !
                username admin privilege 15 secret 9 $9$Bn5a0VXRGzpgu.$Hkm5R8Q1jH7v3EzU9bHcXq8cAx1QyQ2ZcGdx0pGZ6Xo
                !
                ip domain name lab.netsnap.example
                !
                """.formatted(hostname));
    }

    private static String footer(StringBuilder c) {
        c.append("""
                line con 0
                 exec-timeout 10 0
                line vty 0 4
                 transport input ssh
                !
                end""");
        return c.toString();
    }

    /**
     * A Nexus 9300 leaf on NX-OS 10.4(5) with 48 access ports: long enough to page. It carries the secrets an NX-OS
     * backup has to mask: {@code username ... password 5 $5$...}, {@code snmp-server user ... auth md5 0x...
     * priv aes-128 0x... localizedkey}, {@code snmp-server community}, {@code tacacs-server key 7 "..."}. The first line
     * keeps the trailing space NX-OS prints after the BIOS version, and there is no closing {@code end}.
     *
     * @param seed 1 to 254: picks the addresses ({@code 10.99.<seed>.0/24} and so on) and the fake secrets
     */
    public static String nexusSwitch(String hostname, int seed) {
        requireSeed(seed);
        Random random = random(hostname, seed);
        StringBuilder c = new StringBuilder();
        c.append("""
                version 10.4(5) Bios:version 01.11\s
                hostname %1$s
                vdc %1$s id 1
                  limit-resource vlan minimum 16 maximum 4094
                  limit-resource vrf minimum 2 maximum 4096
                  limit-resource port-channel minimum 0 maximum 511
                  limit-resource m4route-mem minimum 58 maximum 58
                  limit-resource m6route-mem minimum 8 maximum 8

                feature tacacs+
                feature interface-vlan
                feature lacp
                feature lldp

                username admin password 5 %2$s  role network-admin
                username netsnap password 5 %3$s  role network-operator
                ip domain-lookup
                ip domain-name lab.netsnap.example
                tacacs-server key 7 "%4$s"
                tacacs-server host 10.99.0.20
                aaa group server tacacs+ ISE
                    server 10.99.0.20
                    use-vrf management
                aaa authentication login default group ISE
                copp profile strict
                snmp-server user admin network-admin auth md5 0x%5$s priv aes-128 0x%6$s localizedkey
                snmp-server community %7$s group network-operator
                ntp server 10.99.0.1 use-vrf management

                vlan 1,10,20,99
                vlan 10
                  name USERS
                vlan 20
                  name VOICE
                vlan 99
                  name MGMT

                vrf context management
                  ip route 0.0.0.0/0 192.0.2.1

                interface Vlan99
                  no shutdown
                  ip address 10.99.%8$d.3/24

                """.formatted(hostname, sha256Crypt(random), sha256Crypt(random), fake(random, ALPHANUMERIC, 8),
                fake(random, HEX, 32), fake(random, HEX, 32), "nx" + fake(random, ALPHANUMERIC, 10), seed));
        for (int port = 1; port <= 48; port++) {
            c.append("interface Ethernet1/").append(port).append('\n')
                    .append("  description access-").append(seed).append('-').append(port).append('\n')
                    .append("  switchport access vlan ").append(port % 2 == 0 ? 20 : 10).append('\n')
                    .append("  spanning-tree port type edge\n\n");
        }
        c.append("""
                interface mgmt0
                  vrf member management
                  ip address 192.0.2.%d/24
                icam monitor scale

                line console
                line vty
                boot nxos bootflash:/nxos64-cs.10.4.5.M.bin""".formatted(seed));
        return c.toString();
    }

    /**
     * An ISE node's ADE-OS configuration, laid out as ISE 3.x prints it (sections between {@code !} lines, two-space
     * indents; the layout is reconstructed, not captured). Secrets to mask: {@code username ... password hash $5$...},
     * the repository's {@code user ... password hash ...}, {@code ntp authentication-key ... hash ...} and
     * {@code snmp-server community}.
     *
     * @param seed 1 to 254: picks the addresses ({@code 10.99.<seed>.20}) and the fake secrets
     */
    public static String iseNode(String hostname, int seed) {
        requireSeed(seed);
        Random random = random(hostname, seed);
        return """
                !
                hostname %1$s
                !
                ip domain-name lab.netsnap.example
                !
                ipv6 enable
                !
                interface GigabitEthernet 0
                  ip address 10.99.%2$d.20 255.255.255.0
                  ipv6 address autoconfig
                  ipv6 enable
                !
                ip name-server 10.99.0.53
                !
                ip default-gateway 10.99.%2$d.1
                !
                clock timezone UTC
                !
                ntp authentication-key 1 md5 hash %3$s
                ntp trusted-key 1
                ntp authenticate
                ntp server 10.99.0.1 key 1
                !
                username admin password hash %4$s role admin
                username netsnap password hash %5$s role admin
                !
                service sshd enable
                !
                password-policy
                  lower-case-required
                  upper-case-required
                  digit-required
                  no-username
                  disable-cisco-passwords
                  min-password-length 6
                !
                repository netsnap-backup
                  url sftp://10.99.0.50/ise
                  user netsnap password hash %6$s
                !
                logging localhost
                logging loglevel 6
                !
                cdp timer 60
                cdp holdtime 180
                cdp run GigabitEthernet 0
                !
                icmp echo on
                !
                snmp-server community %7$s ro
                snmp-server location Site %2$d
                !""".formatted(hostname, seed, fake(random, HEX, 40), sha256Crypt(random), sha256Crypt(random),
                fake(random, HEX, 40), "ise" + fake(random, ALPHANUMERIC, 10));
    }

    private static void requireSeed(int seed) {
        if (seed < 1 || seed > 254) {
            throw new IllegalArgumentException("seed must be 1 to 254 (it is an address octet): " + seed);
        }
    }

    /** The same device always gets the same fakes; two devices get different ones. */
    private static Random random(String hostname, int seed) {
        return new Random(hostname.hashCode() * 31L + seed);
    }

    /** Looks like a SHA-256 crypt(3) hash: {@code $5$} + 8-character salt + {@code $} + 43 characters. */
    private static String sha256Crypt(Random random) {
        return "$5$" + fake(random, CRYPT_ALPHABET, 8) + "$" + fake(random, CRYPT_ALPHABET, 43);
    }

    private static String fake(Random random, String alphabet, int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return value.toString();
    }
}
