package io.netsnap.lab;

/**
 * Running configurations for lab devices: realistic IOS / IOS-XE bodies (what follows the volatile header of
 * {@code show running-config}), deterministic per device so an untouched device backs up unchanged. Hashes are fixed
 * fakes, never the lab's login secrets.
 */
public final class LabConfigs {

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
}
