package io.netsnap.lab;

import java.util.List;
import java.util.Random;

/**
 * Running configurations for lab devices: realistic IOS / IOS-XE, NX-OS and ISE bodies (what follows the volatile
 * header of {@code show running-config}) and Cisco ASA bodies (what stands between {@code ASA Version} and
 * {@code Cryptochecksum:}), deterministic per device so an untouched device backs up unchanged. Hashes and keys are
 * fakes, never the lab's login secrets; they look like the real thing so that masking can be tested.
 */
public final class LabConfigs {

    /** The characters of crypt(3) salts and hashes ({@code $5$salt$hash}). */
    private static final String CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String HEX = "0123456789abcdef";
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private LabConfigs() {
    }

    /** A WAN edge router, ready for restores: SCP server on, an archive path for configure replace. */
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
                ip scp server enable
                !
                archive
                 path flash:netsnap-archive
                 write-memory
                !
                snmp-server community n3tsn4p-lab-ro RO
                snmp-server location Site %1$d
                !
                """.formatted(site, site + 1));
        return footer(c);
    }

    /**
     * A provider-edge router whose configuration runs to about {@code kilobytes} KB (never less than {@link #router}'s),
     * for benchmarks: {@link #router}'s stanzas plus what makes real edge configurations long, one customer after
     * another, each where IOS prints it: a dot1Q sub-interface with its addresses, helper and ACL; a BGP neighbour; a
     * static route; an extended access list with a few entries; a prefix list and the route-map that matches it.
     * Deterministic per site, so an untouched device backs up unchanged.
     */
    public static String router(String hostname, int site, int kilobytes) {
        String base = router(hostname, site);
        int target = kilobytes * 1024;
        StringBuilder interfaces = new StringBuilder();
        StringBuilder neighbours = new StringBuilder();
        StringBuilder routes = new StringBuilder();
        StringBuilder lists = new StringBuilder();
        StringBuilder prefixes = new StringBuilder();
        StringBuilder routeMaps = new StringBuilder();
        Random random = random(hostname, Math.max(site, 1));
        for (int customer = 1; base.length() + interfaces.length() + neighbours.length() + routes.length()
                + lists.length() + prefixes.length() + routeMaps.length() < target; customer++) {
            int vlan = 100 + customer;
            // 100.64.0.0/10 (RFC 6598): a /24 per customer, the router at .1, the customer's CE at .2
            String net = "100." + (64 + customer / 256 % 64) + "." + customer % 256;
            String name = "CUST-" + String.format("%04d", customer);
            interfaces.append("""
                    interface GigabitEthernet0/0/1.%1$d
                     description %2$s circuit %3$s
                     encapsulation dot1Q %1$d
                     ip address %4$s.1 255.255.255.0
                     ip helper-address 10.%5$d.0.10
                     ip access-group %2$s-IN in
                     no ip redirects
                     no ip proxy-arp
                    !
                    """.formatted(vlan, name, fake(random, HEX, 8).toUpperCase(), net, site % 256));
            neighbours.append(" neighbor %1$s.2 remote-as %2$d\n neighbor %1$s.2 description %3$s\n"
                    .formatted(net, 64512 + customer, name)
                    + " neighbor %s.2 route-map %s-IN in\n".formatted(net, name));
            routes.append("ip route 172.%d.%d.0 255.255.255.0 %s.2 name %s\n".formatted(16 + customer / 256 % 16,
                    customer % 256, net, name));
            lists.append("ip access-list extended ").append(name).append("-IN\n");
            int entries = 3 + random.nextInt(4);
            for (int entry = 1; entry <= entries; entry++) {
                int port = List.of(22, 53, 80, 123, 161, 443, 514, 3389).get(random.nextInt(8));
                boolean udp = port == 53 || port == 123 || port == 161 || port == 514;
                lists.append(' ').append(entry * 10).append(" permit ").append(udp ? "udp " : "tcp ").append(net)
                        .append(".0 0.0.0.255 any eq ").append(port).append('\n');
            }
            lists.append(' ').append((entries + 1) * 10).append(" deny   ip any any log\n");
            prefixes.append("ip prefix-list %s-IN seq 5 permit 172.%d.%d.0/24\n".formatted(name,
                    16 + customer / 256 % 16, customer % 256));
            routeMaps.append("route-map %1$s-IN permit 10\n match ip address prefix-list %1$s-IN\n!\n"
                    .formatted(name));
        }
        if (interfaces.isEmpty()) {
            return base;
        }
        String sized = insertBefore(base, "interface GigabitEthernet0", interfaces);
        sized = insertAfter(sized, " bgp log-neighbor-changes", neighbours);
        sized = insertBefore(sized, "ip ssh version 2", routes);
        return insertBefore(sized, "archive", lists.append("!\n").append(prefixes).append("!\n").append(routeMaps));
    }

    private static String insertBefore(String text, String line, CharSequence insert) {
        return insert(text, line, insert, false);
    }

    private static String insertAfter(String text, String line, CharSequence insert) {
        return insert(text, line, insert, true);
    }

    /** {@code text} with {@code insert} before (or after) its first whole line {@code line}. */
    private static String insert(String text, String line, CharSequence insert, boolean after) {
        int at = text.indexOf("\n" + line + "\n");
        if (at < 0) {
            throw new IllegalStateException("no line '" + line + "' in the configuration");
        }
        int position = at + 1 + (after ? line.length() + 1 : 0);
        return text.substring(0, position) + insert + text.substring(position);
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

    /**
     * A single-context ASA: outside, inside and management interfaces, NAT, an access list, a site-to-site VPN and
     * every kind of secret the ASA masks in {@code show running-config}. Long enough to page.
     */
    public static String asaSingle(String hostname, int seed) {
        return asaFirewall(hostname, seed, "GigabitEthernet0/0", "GigabitEthernet0/1", true, false);
    }

    /**
     * The system configuration of a multiple-context ASA: the physical interfaces, resource classes,
     * {@code admin-context} and one {@code context} block per name. The first name is the admin context; the context
     * at index {@code i} gets {@code GigabitEthernet0/(2i)} and {@code GigabitEthernet0/(2i+1)} (the admin context
     * also {@code Management0/0}), its file is {@code disk0:/NAME.cfg}, and contexts at odd indexes are members of
     * class {@code gold}. Pair it with {@link #asaContext(String, int)} for each name and its index.
     */
    public static String asaSystem(String hostname, List<String> contexts) {
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("a multiple-context ASA has at least its admin context");
        }
        int failoverPort = 2 * contexts.size();
        StringBuilder c = new StringBuilder("""
                !
                hostname %s
                enable password $sha512$5000$Q2hhbmdlTWVTeXN0ZW0=$UGJrZGYyU3lzdGVtSGFzaA== pbkdf2
                mac-address auto
                !
                interface Management0/0
                !
                """.formatted(hostname));
        for (int port = 0; port <= failoverPort; port++) {
            c.append("interface GigabitEthernet0/").append(port).append("\n!\n");
        }
        c.append("""
                class default
                  limit-resource All 0
                  limit-resource ASDM 5
                  limit-resource SSH 5
                  limit-resource Telnet 5
                !
                class gold
                  limit-resource Conns 40%
                  limit-resource Xlates 40%
                !
                ftp mode passive
                pager lines 24
                no failover
                failover lan unit primary
                failover lan interface FOVER GigabitEthernet0/%1$d
                failover key Fov3r-Lab-Key
                failover link FOVER GigabitEthernet0/%1$d
                failover interface ip FOVER 192.0.2.253 255.255.255.252 standby 192.0.2.254
                no asdm history enable
                arp timeout 14400
                no arp permit-nonconnected
                console timeout 0
                """.replace("%1$d", Integer.toString(failoverPort)));
        c.append("admin-context ").append(contexts.get(0)).append('\n');
        for (int i = 0; i < contexts.size(); i++) {
            String name = contexts.get(i);
            c.append("context ").append(name).append('\n');
            if (i > 0) {
                c.append("  description Tenant ").append(name).append('\n');
            }
            if (i % 2 == 1) {
                c.append("  member gold\n");
            }
            if (i == 0) {
                c.append("  allocate-interface Management0/0\n");
            }
            c.append("  allocate-interface GigabitEthernet0/").append(2 * i).append('\n')
                    .append("  allocate-interface GigabitEthernet0/").append(2 * i + 1).append('\n')
                    .append("  config-url disk0:/").append(name).append(".cfg\n!\n");
        }
        c.append("""
                prompt hostname context
                no call-home reporting anonymous""");
        return c.toString();
    }

    /**
     * The configuration of the security context at {@code index} in {@link #asaSystem(String, List)}'s list: the
     * interfaces the system allocates to it, NAT, an access list, a VPN peer and every kind of secret.
     */
    public static String asaContext(String name, int index) {
        return asaFirewall(name, index, "GigabitEthernet0/" + (2 * index), "GigabitEthernet0/" + (2 * index + 1),
                index == 0, true);
    }

    /**
     * The body a single-context ASA and a context share; {@code seed} varies the addresses and keys. A context lacks
     * what only the system space configures in multiple mode (MAC addresses, prompt, call-home, password encryption).
     */
    private static String asaFirewall(String hostname, int seed, String outside, String inside, boolean management,
            boolean context) {
        // Keeps every address octet in range whatever the seed.
        int n = Math.floorMod(seed, 100);
        StringBuilder c = new StringBuilder("""
                !
                hostname %1$s
                domain-name lab.netsnap.example
                enable password $sha512$5000$TGFiU2FsdEZpcmV3YWxs$RmFrZVBia2RmMkhhc2gx pbkdf2
                passwd 9jNfZuG3TC5tCVH0 encrypted
                names
                !
                interface %2$s
                 nameif outside
                 security-level 0
                 ip address 198.51.100.%4$d 255.255.255.0\s
                !
                interface %3$s
                 nameif inside
                 security-level 100
                 ip address 10.%5$d.0.1 255.255.255.0\s
                !
                """.formatted(hostname, outside, inside, n + 2, n));
        if (!context) {
            c.insert(c.indexOf("names\n") + "names\n".length(), "no mac-address auto\n");
        }
        if (management) {
            c.append("""
                    interface Management0/0
                     management-only
                     nameif management
                     security-level 100
                     ip address 192.0.2.%d 255.255.255.0\s
                    !
                    """.formatted(n + 10));
        }
        c.append("""
                ftp mode passive
                dns server-group DefaultDNS
                 domain-name lab.netsnap.example
                object network WEB-SERVER
                 host 10.%1$d.0.80
                object network INSIDE-NET
                 subnet 10.%1$d.0.0 255.255.255.0
                object network HQ-NET
                 subnet 10.0.0.0 255.255.0.0
                access-list OUTSIDE-IN extended permit tcp any object WEB-SERVER eq https
                access-list OUTSIDE-IN extended permit icmp any any echo-reply
                access-list VPN-TO-HQ extended permit ip object INSIDE-NET object HQ-NET
                pager lines 24
                logging enable
                logging timestamp
                logging buffered informational
                mtu outside 1500
                mtu inside 1500
                icmp unreachable rate-limit 1 burst-size 1
                no asdm history enable
                arp timeout 14400
                object network INSIDE-NET
                 nat (inside,outside) dynamic interface
                object network WEB-SERVER
                 nat (inside,outside) static 198.51.100.%2$d service tcp https https
                access-group OUTSIDE-IN in interface outside
                route outside 0.0.0.0 0.0.0.0 198.51.100.1 1
                timeout xlate 3:00:00
                timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 icmp 0:00:02
                aaa-server TACACS protocol tacacs+
                aaa-server TACACS (inside) host 10.%1$d.0.20
                 key T4cacs-Lab-%1$d
                aaa-server LDAP protocol ldap
                aaa-server LDAP (inside) host 10.%1$d.0.21
                 ldap-base-dn dc=lab,dc=netsnap,dc=example
                 ldap-login-password Ld4p-Bind-%1$d
                 ldap-login-dn cn=asa,ou=services,dc=lab,dc=netsnap,dc=example
                 server-type microsoft
                user-identity default-domain LOCAL
                aaa authentication ssh console LOCAL
                crypto ipsec ikev1 transform-set ESP-AES256-SHA esp-aes-256 esp-sha-hmac
                crypto map OUTSIDE-MAP 10 match address VPN-TO-HQ
                crypto map OUTSIDE-MAP 10 set peer 203.0.113.1
                crypto map OUTSIDE-MAP 10 set ikev1 transform-set ESP-AES256-SHA
                crypto map OUTSIDE-MAP interface outside
                crypto ikev1 enable outside
                crypto ikev1 policy 10
                 authentication pre-share
                 encryption aes-256
                 hash sha
                 group 14
                 lifetime 86400
                ssh 10.0.0.0 255.0.0.0 inside
                ssh timeout 10
                ssh version 2
                ssh key-exchange group dh-group14-sha256
                console timeout 0
                threat-detection basic-threat
                ntp server 10.0.0.123 source inside
                username admin password $sha512$5000$QWRtaW5TYWx0TGFi$QWRtaW5IYXNoRmFrZQ== pbkdf2 privilege 15
                username backup password $sha512$5000$QmFja3VwU2FsdExh$QmFja3VwSGFzaEZha2U= pbkdf2 privilege 5
                tunnel-group 203.0.113.1 type ipsec-l2l
                tunnel-group 203.0.113.1 ipsec-attributes
                 ikev1 pre-shared-key Lab-Psk-%1$d-HQ
                !
                class-map inspection_default
                 match default-inspection-traffic
                !
                policy-map global_policy
                 class inspection_default
                  inspect dns
                  inspect ftp
                  inspect icmp
                !
                service-policy global_policy global
                """.formatted(n, n + 120));
        if (!context) {
            c.append("prompt hostname context\nno call-home reporting anonymous\npassword encryption aes\n");
        }
        return c.toString().stripTrailing();
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
                feature scp-server
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
