package io.netsnap.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which inventories a run may name: the configured one and files under configured folders, nothing else. */
class InventoryCatalogTests {

    private static final String INVENTORY = """
            devices:
              - { name: EDGE-RTR-01, host: 192.0.2.1, platform: ios, credentials: network/edge }
            """;

    @TempDir
    Path dir;

    private Path configured;
    private Path folder;
    private InventoryCatalog catalog;

    @BeforeEach
    void setUp() throws IOException {
        configured = Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
        folder = Files.createDirectories(dir.resolve("inventories"));
        catalog = new InventoryCatalog(configured, List.of(folder),
                new InventoryLoader(TestPlatforms.ALL));
    }

    @Test
    void noReferenceOrTheConfiguredPathIsTheConfiguredInventory() {
        assertThat(catalog.resolve(null)).isEqualTo(configured);
        assertThat(catalog.resolve(" ")).isEqualTo(configured);
        assertThat(catalog.resolve(configured.toString())).isEqualTo(configured);
        assertThat(catalog.load(null).device("EDGE-RTR-01")).isPresent();
    }

    @Test
    void aFileUnderAConfiguredFolderMayBeNamed() throws IOException {
        Path lab = Files.writeString(Files.createDirectories(folder.resolve("site-a")).resolve("lab.yaml"),
                INVENTORY);

        assertThat(catalog.load(lab.toString()).source()).isEqualTo(lab.toRealPath());
    }

    @Test
    void anythingElseIsRefusedWithoutBeingRead() throws IOException {
        Path outside = Files.writeString(dir.resolve("planted.yaml"), INVENTORY);
        Path escape = folder.resolve("../planted.yaml");
        Path link = Files.createSymbolicLink(folder.resolve("link.yaml"), outside);

        for (String reference : List.of(outside.toString(), escape.toString(), link.toString(), "/etc/passwd",
                folder.resolve("missing.yaml").toString(), folder.toString())) {
            assertThatThrownBy(() -> catalog.load(reference)).as(reference).isInstanceOf(InventoryException.class)
                    .hasMessageContaining("not read:");
        }
    }

    @Test
    void anUnchangedInventoryIsParsedOnceAndAChangedOneAgain() throws IOException {
        Inventory first = catalog.load(null);
        assertThat(catalog.load(null)).isSameAs(first);

        Files.writeString(configured, INVENTORY + "  - { name: CORE-SW-01, host: 192.0.2.2, platform: ios,"
                + " credentials: network/core }\n");

        assertThat(catalog.load(null).device("CORE-SW-01")).isPresent();
    }
}
