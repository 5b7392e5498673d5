package io.netsnap.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.netsnap.inventory.InventoryException.Problem;

class InventoryLoaderTests {

    static final String SECRET_ADVICE =
            "secrets do not belong in the inventory; store them in Vault and reference the path with 'credentials'";

    @TempDir
    Path dir;

    final InventoryLoader loader = new InventoryLoader(TestPlatforms.ALL);

    // --- a good inventory -----------------------------------------------------------------------------------------

    @Test
    void designExampleLoadsInFileOrderWithPrecedenceApplied() {
        Path file = resource("design-example.yaml");

        Inventory inventory = loader.load(file);

        assertThat(inventory.source()).isEqualTo(file);
        assertThat(inventory.devices()).containsExactly(
                new Device("CORE-SW-01", "10.0.0.10", 22, "nxos", "core", "network/core", seconds(90), List.of()),
                new Device("EDGE-RTR-01", "10.0.0.40", 22, "ios", null, "network/default", seconds(60), List.of()),
                new Device("ASA-FW-01", "10.0.0.30", 22, "asa", null, "network/default", seconds(60),
                        List.of("admin", "DMZ", "BACKEND")),
                new Device("ISE-PRIMARY", "10.0.0.20", 22, "ise", null, "network/ise", seconds(180), List.of()),
                new Device("MC-01", "10.0.1.5", 4343, "aruba-conductor", null, "network/default", seconds(60),
                        List.of()));
    }

    @Test
    void aConductorMayBeMarkedInsecureAndNothingElseIs() {
        Inventory inventory = loader.load(write("""
                defaults:
                  credentials: network/default
                devices:
                  - { name: MC-01, host: 10.0.1.5, platform: aruba-conductor, insecure: true }
                  - { name: MC-02, host: 10.0.1.6, platform: aruba-conductor, insecure: false }
                  - { name: MC-03, host: 10.0.1.7, platform: aruba-conductor }
                """));

        assertThat(inventory.devices()).extracting(Device::name, Device::insecure).containsExactly(
                org.assertj.core.groups.Tuple.tuple("MC-01", true), org.assertj.core.groups.Tuple.tuple("MC-02", false),
                org.assertj.core.groups.Tuple.tuple("MC-03", false));
    }

    @Test
    void deviceOverridesGroupWhichOverridesDefaultsWhichOverrideTheBuiltInTimeout() {
        Inventory inventory = loader.load(write("""
                defaults:
                  credentials: network/default
                groups:
                  slow: { timeout: PT2M }
                  vaulted: { credentials: network/vaulted, timeout: PT30S }
                devices:
                  - { name: PLAIN, host: plain.example.net, platform: ios }
                  - { name: SLOW, host: slow.example.net, platform: ios, group: slow }
                  - { name: VAULTED, host: 10.0.0.3, platform: ios, group: vaulted }
                  - { name: OWN, host: 10.0.0.4, platform: ios, group: vaulted, credentials: x/own, timeout: PT5S }
                """));

        assertThat(inventory.devices()).extracting(Device::name, Device::credentials, Device::timeout)
                .containsExactly(
                        tuple("PLAIN", "network/default", seconds(60)),
                        tuple("SLOW", "network/default", seconds(120)),
                        tuple("VAULTED", "network/vaulted", seconds(30)),
                        tuple("OWN", "x/own", seconds(5)));
    }

    @Test
    void portDefaultsToThePlatformsPortUnlessGiven() {
        Inventory inventory = loader.load(write(withDevices("""
                  - { name: MC-01, host: 10.0.1.5, platform: aruba-conductor }
                  - { name: MC-02, host: 10.0.1.6, platform: aruba-conductor, port: 8443 }
                  - { name: R1, host: 10.0.0.1, platform: ios }
                  - { name: R2, host: 10.0.0.2, platform: ios, port: 2222 }
                """)));

        assertThat(inventory.devices()).extracting(Device::port).containsExactly(4343, 8443, 22, 2222);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255", "r1", "core-sw-01.dc1.example.net",
            "'2001:db8::1'", "'::1'", "'::'", "'1::'", "'fe80::1:2:3:4'", "'1:2:3:4:5:6:7:8'", "'::ffff:10.0.0.1'",
            "'2001:DB8:0:0:8:800:200C:417A'"})
    void acceptsHostNamesAndIpLiterals(String host) {
        Inventory inventory = loader.load(write(withDevices("  - { name: R1, host: " + host + ", platform: ios }\n")));

        assertThat(inventory.devices()).singleElement()
                .satisfies(device -> assertThat(device.host()).isEqualTo(host.replace("'", "")));
    }

    // --- every mistake at once ------------------------------------------------------------------------------------

    @Test
    void threeMistakesAreReportedInOneExceptionWithTheirLines() {
        InventoryException e = failure(resource("three-mistakes.yaml"));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(10, "device 'CORE-SW-01': duplicate name (first at line 6)"),
                tuple(15, "device 'EDGE-RTR-01': unknown platform 'nxso'; did you mean"
                        + " 'nxos'? (known: aruba-conductor, asa, ios, ise, nxos)"),
                tuple(19, "device 'EDGE-RTR-02': unknown group 'edge' (groups: core)"));
        assertThat(e.problems()).allSatisfy(problem -> assertThat(problem.file()).isEqualTo(e.file()));
    }

    @Test
    void messageListsEveryProblemAsFileLineMessage() {
        Path file = resource("three-mistakes.yaml");

        InventoryException e = failure(file);

        assertThat(e.getMessage()).isEqualTo("inventory " + file + " has 3 problems:\n"
                + "  " + file + ":10: device 'CORE-SW-01': duplicate name (first at line 6)\n"
                + "  " + file + ":15: device 'EDGE-RTR-01': unknown platform 'nxso'; did you mean 'nxos'?"
                + " (known: aruba-conductor, asa, ios, ise, nxos)\n"
                + "  " + file + ":19: device 'EDGE-RTR-02': unknown group 'edge' (groups: core)");
        assertThat(e.problems().get(0)).hasToString(file + ":10: device 'CORE-SW-01': duplicate name (first at line 6)");
    }

    @Test
    void problemsFromEverySectionAreSortedByLine() {
        InventoryException e = failure(write("""
                devices:
                  - { name: R1, host: 10.0.0.1, platform: ios, timeout: soon }
                  - { name: R2, host: 10.0.0.300, platform: ios, port: 0 }
                defaults:
                  credentials: /abs
                groups:
                  core: { timout: PT1S }
                """));

        assertThat(e.problems()).extracting(Problem::line).containsExactly(2, 3, 3, 5, 7);
        assertThat(e.getMessage()).startsWith("inventory " + e.file() + " has 5 problems:\n");
    }

    // --- one rule at a time ---------------------------------------------------------------------------------------

    /** A device line (line 6 of {@link #withDevices}) and the one problem it must cause there. */
    static Stream<Arguments> badDevices() {
        return Stream.of(
                // required keys
                Arguments.of("{ host: 10.0.0.1, platform: ios }", "device #1: missing required 'name'"),
                Arguments.of("{ name: R1, platform: ios }", "device 'R1': missing required 'host'"),
                Arguments.of("{ name: R1, host: 10.0.0.1 }", "device 'R1': missing required 'platform'"),
                Arguments.of("{ name: R1, host: , platform: ios }", "device 'R1': 'host' has no value"),
                Arguments.of("{ name: R1, host: [a, b], platform: ios }",
                        "device 'R1': 'host' must be a single value, not a list"),
                // names are file names
                Arguments.of("{ name: 'a/b', host: 10.0.0.1, platform: ios }",
                        "device 'a/b': name is not a safe file name (letters, digits, '.', '_' and '-', starting with"
                                + " a letter or digit, at most 64 characters)"),
                Arguments.of("{ name: ../etc, host: 10.0.0.1, platform: ios }",
                        "device '../etc': name is not a safe file name"),
                Arguments.of("{ name: 'R 1', host: 10.0.0.1, platform: ios }",
                        "device 'R 1': name is not a safe file name"),
                Arguments.of("{ name: " + "R".repeat(65) + ", host: 10.0.0.1, platform: ios }",
                        "name is not a safe file name"),
                // platform
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: IOS }",
                        "device 'R1': unknown platform 'IOS'; did you mean 'ios'? (known: aruba-conductor, asa, ios,"
                                + " ise, nxos)"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: aruba }",
                        "device 'R1': unknown platform 'aruba'; did you mean 'aruba-conductor'?"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: junos }",
                        "device 'R1': unknown platform 'junos' (known: aruba-conductor, asa, ios, ise, nxos)"),
                // host
                Arguments.of("{ name: R1, host: 10.0.0.300, platform: ios }",
                        "device 'R1': host '10.0.0.300' is not a valid IPv4 address"),
                Arguments.of("{ name: R1, host: 10.0.0, platform: ios }", "host '10.0.0' is not a valid IPv4 address"),
                Arguments.of("{ name: R1, host: 010.0.0.1, platform: ios }",
                        "host '010.0.0.1' is not a valid IPv4 address"),
                Arguments.of("{ name: R1, host: 'ssh://r1.example.net', platform: ios }",
                        "device 'R1': host 'ssh://r1.example.net' must not include a scheme"),
                Arguments.of("{ name: R1, host: 'r1 example', platform: ios }",
                        "device 'R1': host 'r1 example' must not contain spaces"),
                Arguments.of("{ name: R1, host: 'r1.example.net:22', platform: ios }",
                        "device 'R1': host 'r1.example.net:22' must not include a port; set it with 'port'"),
                Arguments.of("{ name: R1, host: '[2001:db8::1]', platform: ios }",
                        "device 'R1': host '[2001:db8::1]' must not be in brackets"),
                Arguments.of("{ name: R1, host: '2001:db8::1::2', platform: ios }",
                        "host '2001:db8::1::2' is not a valid IPv6 address"),
                Arguments.of("{ name: R1, host: '1:2:3:4:5:6:7:8:9', platform: ios }",
                        "host '1:2:3:4:5:6:7:8:9' is not a valid IPv6 address"),
                Arguments.of("{ name: R1, host: -r1.example.net, platform: ios }",
                        "host '-r1.example.net' is not a valid host name or IP address"),
                Arguments.of("{ name: R1, host: r1_old, platform: ios }",
                        "host 'r1_old' is not a valid host name or IP address"),
                // port
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, port: 0 }",
                        "device 'R1': port '0' is not a TCP port number (1..65535)"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, port: 65536 }",
                        "device 'R1': port '65536' is not a TCP port number (1..65535)"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, port: -22 }",
                        "device 'R1': port '-22' is not a TCP port number (1..65535)"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, port: ssh }",
                        "device 'R1': port 'ssh' is not a TCP port number (1..65535)"),
                // group
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, group: edge }",
                        "device 'R1': unknown group 'edge' (groups: core)"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, group: Core }",
                        "device 'R1': unknown group 'Core'; did you mean 'core'? (groups: core)"),
                // insecure
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, insecure: true }",
                        "device 'R1': insecure (skip TLS certificate checks) is only for platform"
                                + " 'aruba-conductor', not 'ios'"),
                Arguments.of("{ name: MC, host: 10.0.0.1, platform: aruba-conductor, insecure: yes-please }",
                        "device 'MC': insecure must be true or false, not 'yes-please'"),
                // contexts
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, contexts: [admin] }",
                        "device 'R1': contexts are only supported on platform 'asa', not 'ios'"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: [admin, ../x] }",
                        "device 'FW': context '../x' is not a plain name (letters, digits, '_' and '-', starting"
                                + " with a letter or digit, at most 32 characters)"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: ['a b'] }",
                        "device 'FW': context 'a b' is not a plain name"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: [dmz.old] }",
                        "device 'FW': context 'dmz.old' is not a plain name"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: [" + "c".repeat(33) + "] }",
                        "is not a plain name"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: [DMZ, admin, dmz] }",
                        "device 'FW': context 'dmz' is listed twice (first at line 6)"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: [admin, System] }",
                        "device 'FW': context 'System' is reserved"),
                Arguments.of("{ name: FW, host: 10.0.0.1, platform: asa, contexts: admin }",
                        "device 'FW': contexts must be a list of context names, e.g. [admin, DMZ]"),
                // timeout
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, timeout: 1 minute }",
                        "device 'R1': timeout '1 minute' is not an ISO-8601 duration such as PT60S"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, timeout: 90 }",
                        "device 'R1': timeout '90' is not an ISO-8601 duration; did you mean 'PT90S'?"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, timeout: PT0S }",
                        "device 'R1': timeout 'PT0S' must be positive"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, timeout: -PT5S }",
                        "device 'R1': timeout '-PT5S' must be positive"),
                // credentials
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, credentials: /network/r1 }",
                        "device 'R1': credentials is not a relative Vault path such as 'network/core'"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, credentials: network/../admin }",
                        "device 'R1': credentials is not a relative Vault path"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, credentials: 'network core' }",
                        "device 'R1': credentials is not a relative Vault path"),
                // keys
                Arguments.of("{ name: R1, hots: 10.0.0.1, host: 10.0.0.1, platform: ios }",
                        "device 'R1': unknown key 'hots'; did you mean 'host'?"),
                Arguments.of("{ name: R1, host: 10.0.0.1, platform: ios, vendor: cisco }",
                        "device 'R1': unknown key 'vendor' (allowed: name, host, port, platform, group, credentials,"
                                + " timeout, contexts, insecure)"),
                Arguments.of("{ name: R1, host: 10.0.0.1, host: 10.0.0.2, platform: ios }",
                        "device 'R1': duplicate key 'host' (first at line 6)"),
                Arguments.of("[R1, 10.0.0.1, ios]",
                        "device #1: must be a mapping with at least name, host and platform"));
    }

    @ParameterizedTest
    @MethodSource("badDevices")
    void rejectsADeviceThatBreaksARule(String device, String expected) {
        InventoryException e = failure(write(withDevices("  - " + device + "\n")));

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(6);
            assertThat(problem.message()).contains(expected).doesNotContain("\n");
        });
    }

    @Test
    void lineIsThatOfTheOffendingNodeInBlockStyle() {
        InventoryException e = failure(write(withDevices("""
                  - name: R1
                    host: 10.0.0.1
                    platform: ios
                    port: 70000
                    contexts:
                      - admin
                """)));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(9, "device 'R1': port '70000' is not a TCP port number (1..65535)"),
                tuple(10,
                        "device 'R1': contexts are only supported on platform 'asa', not 'ios'"));
    }

    @Test
    void missingKeysAreReportedAtTheDeviceAndTogether() {
        InventoryException e = failure(write(withDevices("""
                  - { name: R1, host: 10.0.0.1, platform: ios }
                  - group: core
                """)));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(7, "device #2: missing required 'name'"),
                tuple(7, "device #2: missing required 'host'"),
                tuple(7, "device #2: missing required 'platform'"));
    }

    @Test
    void namesMustBeUniqueIgnoringCaseBecauseTheyBecomeFileNames() {
        InventoryException e = failure(write(withDevices("""
                  - { name: CORE-SW-01, host: 10.0.0.1, platform: nxos }
                  - { name: core-sw-01, host: 10.0.0.2, platform: nxos }
                """)));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(7, "device 'core-sw-01': name differs only in case from"
                        + " 'CORE-SW-01' at line 6 (names become file names)"));
    }

    @Test
    void aDeviceWithoutCredentialsAnywhereIsAProblem() {
        InventoryException e = failure(write("""
                groups:
                  core: { timeout: PT90S }
                devices:
                  - { name: R1, host: 10.0.0.1, platform: ios, group: core }
                  - { name: R2, host: 10.0.0.2, platform: ios, credentials: network/r2 }
                """));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(4, "device 'R1': no credentials path (set it on the device, its"
                        + " group, or defaults)"));
    }

    @Test
    void badInheritedSettingsAreReportedOnceWhereTheyAreWritten() {
        InventoryException e = failure(write("""
                defaults:
                  credentials: network/../root
                  timeout: PT0S
                devices:
                  - { name: R1, host: 10.0.0.1, platform: ios }
                  - { name: R2, host: 10.0.0.2, platform: ios }
                """));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(2, "defaults: credentials is not a relative Vault path such as"
                        + " 'network/core' (letters, digits and _ . / -; no leading '/', no '..'); value not shown in"
                        + " case it is a secret"),
                tuple(3, "defaults: timeout 'PT0S' must be positive"));
    }

    @Test
    void unknownKeysAnywhereSuggestTheClosestKnownOne() {
        InventoryException e = failure(write("""
                defaults:
                  credential: network/default
                  timout: PT60S
                groups:
                  core: { credentials: network/core, timeuot: PT90S }
                device:
                  - { name: R1, host: 10.0.0.1, platform: ios }
                """));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(1, "missing 'devices', the list of devices"),
                tuple(2, "defaults: unknown key 'credential'; did you mean"
                        + " 'credentials'?"),
                tuple(3, "defaults: unknown key 'timout'; did you mean 'timeout'?"),
                tuple(5, "group 'core': unknown key 'timeuot'; did you mean"
                        + " 'timeout'?"),
                tuple(6, "top level: unknown key 'device'; did you mean 'devices'?"));
    }

    @Test
    void yamlMergeKeysAreRejectedWithAHint() {
        InventoryException e = failure(write("""
                defaults:
                  credentials: network/default
                devices:
                  - &base { name: R1, host: 10.0.0.1, platform: ios }
                  - { <<: *base, name: R2 }
                """));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(5, "device 'R2': YAML merge keys ('<<') are not supported; share"
                        + " settings with 'defaults' or 'groups'"),
                tuple(5, "device 'R2': missing required 'host'"),
                tuple(5, "device 'R2': missing required 'platform'"));
    }

    @Test
    void groupsAreNamedSafelyAndDefinedOnce() {
        InventoryException e = failure(write("""
                defaults: { credentials: network/default }
                groups:
                  core: { timeout: PT1M }
                  core: { timeout: PT2M }
                  'dc 1': {}
                  edge: network/edge
                devices:
                  - { name: R1, host: 10.0.0.1, platform: ios, group: core }
                """));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(4, "group 'core': defined twice (first at line 3)"),
                tuple(5, "group 'dc 1': not a valid group name (letters, digits, '.',"
                        + " '_' and '-', starting with a letter or digit, at most 64 characters)"),
                tuple(6, "group 'edge': must be a mapping of credentials and timeout"));
    }

    // --- the shape of the file ------------------------------------------------------------------------------------

    @Test
    void anEmptyDeviceListIsAProblem() {
        InventoryException e = failure(write("defaults: { credentials: network/default }\ndevices: []\n"));

        assertThat(e.problems()).extracting(Problem::line, Problem::message)
                .containsExactly(tuple(2, "no devices: 'devices' is empty"));
    }

    @Test
    void devicesMustBeAList() {
        InventoryException e = failure(write("devices:\n  R1: { host: 10.0.0.1 }\n"));

        assertThat(e.problems()).extracting(Problem::line, Problem::message)
                .containsExactly(tuple(2, "'devices' must be a list of devices"));
    }

    @Test
    void theTopLevelMustBeAMapping() {
        InventoryException e = failure(write("- { name: R1, host: 10.0.0.1, platform: ios }\n"));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(1, "the top level must be a mapping with 'devices' and optional"
                        + " 'defaults' and 'groups'"));
    }

    @Test
    void anEmptyFileIsAProblem() {
        InventoryException e = failure(write("# nothing yet\n"));

        assertThat(e.problems()).extracting(Problem::message)
                .containsExactly("the inventory is empty; expected 'devices', a list of devices");
    }

    @Test
    void aYamlSyntaxErrorIsOneProblemAtTheLineSnakeYamlReports() {
        Path file = write("""
                defaults:
                  credentials: network/default
                devices:
                  - name: R1
                    host: 10.0.0.1
                   platform: ios
                """);

        InventoryException e = failure(file);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(6);
            assertThat(problem.message()).startsWith("YAML syntax error: ").doesNotContain("\n");
        });
        assertThat(e.getMessage()).startsWith("inventory " + file + " has 1 problem:\n  " + file + ":6: YAML syntax");
    }

    @Test
    void aYamlSyntaxErrorDoesNotQuoteTheSourceLine() {
        InventoryException e = failure(write("""
                devices:
                  - name: R1
                    password: "hunter2-unterminated
                """));

        assertThat(e.problems()).singleElement().satisfies(problem -> assertThat(problem.line()).isPositive());
        assertThat(e.getMessage()).startsWith("inventory ").doesNotContain("hunter2");
    }

    @Test
    void aMissingFileIsNamedInTheMessage() {
        Path file = dir.resolve("nowhere.yaml");

        InventoryException e = failure(file);

        assertThat(e.problems()).containsExactly(new Problem(file, 0, "no such file"));
        assertThat(e.getMessage()).isEqualTo("inventory " + file + " has 1 problem:\n  " + file + ": no such file");
    }

    @Test
    void aDirectoryIsNotAnInventory() {
        InventoryException e = failure(dir);

        assertThat(e.getMessage()).contains(dir.toString()).contains("is a directory");
    }

    // --- secrets --------------------------------------------------------------------------------------------------

    @Test
    void secretLookingKeysAreRejectedAnywhereWithoutEchoingTheirValues() {
        InventoryException e = failure(resource("secrets-everywhere.yaml"));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(1, "top level: key 'password': " + SECRET_ADVICE),
                tuple(4, "defaults: key 'Enable': " + SECRET_ADVICE),
                tuple(8, "group 'core': key 'enable_secret': " + SECRET_ADVICE),
                tuple(9, "groups: key 'token': " + SECRET_ADVICE),
                tuple(15, "device 'R1': key 'ssh_private_key': " + SECRET_ADVICE),
                tuple(20, "device 'R2': 'host' must be a single value, not a mapping"),
                tuple(20, "device 'R2': key 'sshPassword': " + SECRET_ADVICE),
                tuple(22, "device 'R2': key 'apiKey': " + SECRET_ADVICE));
        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("PRIVATE KEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "PASSWORD", "secret", "enable", "token", "key", "ssh_private_key",
            "enable-password", "snmpCommunity"})
    void eachSecretLookingKeyIsRejected(String key) {
        InventoryException e = failure(write(withDevices(
                "  - { name: R1, host: 10.0.0.1, platform: ios, " + key + ": hunter2 }\n")));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(6, "device 'R1': key '" + key + "': " + SECRET_ADVICE));
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void aPasswordPastedAsTheCredentialsPathIsNotEchoed() {
        InventoryException e = failure(write(withDevices(
                "  - { name: R1, host: 10.0.0.1, platform: ios, credentials: 'Hunter2!xyz' }\n")));

        assertThat(e.problems()).extracting(Problem::line).containsExactly(6);
        assertThat(e.getMessage()).contains("device 'R1': credentials is not a relative Vault path")
                .doesNotContain("Hunter2");
    }

    // --- Inventory ------------------------------------------------------------------------------------------------

    @Nested
    class Selecting {

        final Inventory inventory = loader.load(resource("design-example.yaml"));

        @Test
        void noGroupAndNoNamesSelectsEveryDevice() {
            assertThat(names(inventory.select(null, List.of()))).containsExactly(
                    "CORE-SW-01", "EDGE-RTR-01", "ASA-FW-01", "ISE-PRIMARY", "MC-01");
            assertThat(inventory.select("  ", null)).isEqualTo(inventory.devices());
        }

        @Test
        void selectsByGroup() {
            assertThat(names(inventory.select("core", List.of()))).containsExactly("CORE-SW-01");
        }

        @Test
        void selectsByNameInInventoryOrder() {
            assertThat(names(inventory.select(null, List.of("MC-01", "EDGE-RTR-01", "MC-01"))))
                    .containsExactly("EDGE-RTR-01", "MC-01");
        }

        @Test
        void groupAndNamesTogetherSelectTheUnion() {
            assertThat(names(inventory.select("core", List.of("MC-01", "CORE-SW-01"))))
                    .containsExactly("CORE-SW-01", "MC-01");
        }

        @Test
        void unknownGroupAndNamesAreAllListed() {
            try {
                inventory.select("edge", List.of("EDGE-RTR-1", "MC-01", "NOPE"));
                fail("expected an InventoryException");
            } catch (InventoryException e) {
                assertThat(e.problems()).extracting(Problem::message).containsExactly(
                        "unknown group 'edge' (groups: core)",
                        "unknown device 'EDGE-RTR-1'; did you mean 'EDGE-RTR-01'?",
                        "unknown device 'NOPE'");
                assertThat(e.getMessage()).startsWith("inventory " + inventory.source() + " has 3 problems:");
            }
        }

        @Test
        void findsADeviceByItsExactName() {
            assertThat(inventory.device("MC-01")).map(Device::port).contains(4343);
            assertThat(inventory.device("mc-01")).isEmpty();
        }

        @Test
        void groupsAreThoseWithDevices() {
            assertThat(inventory.groups()).isEqualTo(Set.of("core"));
        }

        private static List<String> names(List<Device> devices) {
            return devices.stream().map(Device::name).toList();
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** Defaults and one group, so that device lines start at line 6. */
    static String withDevices(String devices) {
        return """
                defaults:
                  credentials: network/default
                groups:
                  core: { credentials: network/core }
                devices:
                """ + devices;
    }

    Path write(String yaml) {
        try {
            return Files.writeString(dir.resolve("inventory.yaml"), yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    InventoryException failure(Path file) {
        try {
            Inventory inventory = loader.load(file);
            return fail("expected an InventoryException, got " + inventory);
        } catch (InventoryException e) {
            return e;
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(InventoryLoaderTests.class.getResource("/inventory/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
