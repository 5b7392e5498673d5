package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceResult;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;

/**
 * Results do not travel in process variables (issue #14): a run's own instance carries counters and references
 * only, so its variables are the same, and the same size, whether the fleet has 3 devices or 12; each device's result
 * is a file in the run's state, and the report lists every device from those files.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class FleetVariablesProcessTests {

    private static final int FLEET = 12;
    private static final List<String> NAMES = IntStream.rangeClosed(1, FLEET)
            .mapToObj(i -> String.format("FLEET-RTR-%02d", i)).toList();

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(IntStream.rangeClosed(1, FLEET)
            .mapToObj(i -> new Lab.LabDevice(NAMES.get(i - 1), "edge", Lab.Kind.SIMULATED,
                    LabConfigs.router(NAMES.get(i - 1), i)))
            .toArray(Lab.LabDevice[]::new));

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("netsnap.inventory-folders", () -> SETUP.inventories().toString());
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Test
    void theRunsOwnVariablesStayTheSameAndAsSmallWhenTheFleetGrows() throws IOException {
        // the same start variables, but for the inventory's name, which has the same length in both
        RunLauncher.Result small = ProcessLab.run(launcher, fleetOf(3));
        RunLauncher.Result large = ProcessLab.run(launcher, fleetOf(FLEET));
        assertThat(small.outcome()).as(small.toString()).isEqualTo("OK");
        assertThat(large.outcome()).as(large.toString()).isEqualTo("OK");

        RunRecords records = new RunRecords(engine);
        Map<String, String> three = records.rootVariables(small.processInstanceKey());
        Map<String, String> twelve = records.rootVariables(large.processInstanceKey());
        assertThat(twelve.keySet()).as("the same variables, no per-device one").isEqualTo(three.keySet())
                .doesNotContain("results", "devices", "deviceResult", "result", "device", "deviceName");
        assertThat(String.join("\n", twelve.values())).as("no device is named on the run's own instance")
                .doesNotContain("FLEET-RTR-");
        int size3 = size(three);
        int size12 = size(twelve);
        // only figures differ: counters (3 against 12), timestamps, the run id's random part, upload byte counts
        assertThat(Math.abs(size12 - size3)).as("serialized size with 3 devices %d, with 12 %d: %s", size3, size12,
                twelve).isLessThanOrEqualTo(16);
        assertThat(size12).as("counters and references only").isLessThan(4096);
        assertThat(records.rootVariableWrites(large.processInstanceKey()))
                .as("no variable of the run's own instance is written once per device")
                .isEqualTo(records.rootVariableWrites(small.processInstanceKey()));

        // each device's result is a file of the run's state, and the report lists every device from them
        Path results = SETUP.data().resolve("state").resolve(large.exportDir()).resolve("results");
        ObjectMapper json = new ObjectMapper();
        for (String device : NAMES) {
            JsonNode recorded = json.readTree(results.resolve(device + ".json").toFile());
            assertThat(recorded.path("device").asText()).isEqualTo(device);
            assertThat(recorded.path("status").asText()).isEqualTo(DeviceResult.OK);
        }
        assertThat(large.results()).extracting(DeviceResult::device).containsExactlyElementsOf(NAMES);
        assertThat(large.counts().total()).isEqualTo(FLEET);
        assertThat(large.counts().ok()).isEqualTo(FLEET);
        JsonNode report = json.readTree(SETUP.data().resolve(large.exportDir()).resolve("report.json").toFile());
        assertThat(report.path("devices")).hasSize(FLEET);
        // what Operate shows: each device's name and outcome on its own instance
        long child = records.childInstanceOf("FLEET-RTR-07", large.processInstanceKey());
        assertThat(records.variable(child, "deviceName")).isEqualTo("\"FLEET-RTR-07\"");
        assertThat(records.variable(child, "result")).contains("\"status\":\"OK\"");
        assertThat(records.deviceBackupsOf(large.processInstanceKey())).isEqualTo(FLEET);
    }

    /** The lab inventory with its first {@code count} devices, in a file whose name has the same length for all. */
    private static Path fleetOf(int count) throws IOException {
        List<String> kept = NAMES.subList(0, count);
        String yaml = Files.readAllLines(SETUP.lab().inventory()).stream()
                .filter(line -> !line.contains("name: FLEET-RTR-")
                        || kept.stream().anyMatch(name -> line.contains("name: " + name + ",")))
                .reduce("", (text, line) -> text + line + "\n");
        Path file = Files.createDirectories(SETUP.inventories()).resolve(String.format("fleet-%02d.yaml", count));
        return Files.writeString(file, yaml);
    }

    /** What the variables weigh as the engine holds them: names and JSON values. */
    private static int size(Map<String, String> variables) {
        return variables.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
    }
}
