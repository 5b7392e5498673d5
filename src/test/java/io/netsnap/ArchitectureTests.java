package io.netsnap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The package boundaries of netsnap's main code, checked on the compiled classes. Test code is not checked: tests of
 * every package use the lab's simulators, Vault double and backup server as real peers.
 */
@AnalyzeClasses(packages = "io.netsnap", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    /**
     * One slice per top-level package ({@code cli}, {@code backup}, ...) and one for {@code io.netsnap} itself, the
     * Spring Boot application, so that an arrow from the application back to a package counts as a cycle too.
     */
    private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        private static final String ROOT = "io.netsnap";

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (name.equals(ROOT)) {
                return SliceIdentifier.of(ROOT);
            }
            if (name.startsWith(ROOT + ".")) {
                return SliceIdentifier.of(ROOT + "." + name.substring(ROOT.length() + 1).split("\\.")[0]);
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "io.netsnap and each package directly under it";
        }
    };

    @ArchTest
    static final ArchRule onlyWorkflowSpeaksCamunda = noClasses()
            .that().resideOutsideOfPackage("io.netsnap.workflow..")
            .should().dependOnClassesThat().resideInAPackage("io.camunda..")
            .because("workers are thin adapters: the capabilities below them are plain services the engine never "
                    + "reaches into, and a Camunda upgrade touches one package");

    @ArchTest
    static final ArchRule onlyMetricsSpeaksMicrometerAndActuator = noClasses()
            .that().resideOutsideOfPackage("io.netsnap.metrics..")
            // Zeebe's RocksDB store takes a registry of its own for the engine's internal figures, never published
            .and().haveNameNotMatching("io\\.netsnap\\.workflow\\.EngineState(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "org.springframework.boot.actuate..")
            .because("the capabilities publish events and the metrics package turns them into series and health: "
                    + "no service is written around a meter registry");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices()
            .assignedFrom(TOP_LEVEL_PACKAGES)
            .should().beFreeOfCycles()
            .because("each capability can then be read, tested and changed from the bottom up");

    @ArchTest
    static final ArchRule productNeverImportsTheLab = noClasses()
            .that().resideOutsideOfPackage("io.netsnap.lab..")
            .should().dependOnClassesThat().resideInAPackage("io.netsnap.lab..")
            .because("the lab (simulated devices, Vault double, backup server) ships in the jar for `netsnap lab` "
                    + "only; it joins the command line through META-INF/services, and the product works without it");
}
