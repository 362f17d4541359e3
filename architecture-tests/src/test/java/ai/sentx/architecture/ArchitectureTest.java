package ai.sentx.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Applies {@link ArchitectureRules} to the production classes of every module. */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // other modules' test-jars (port contracts) are test code too
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("ai.sentx");
    }

    @Test
    void importsProductionClasses_andNoRuleFixtures() {
        assertTrue(production.containPackage("ai.sentx.port"), "ai.sentx.port was not imported");
        assertFalse(production.stream().anyMatch(c -> c.getPackageName().contains(".archfixture")),
                "rule fixtures from the test sources leaked into the production import");
    }

    @Test
    void core_dependsOnlyOnTheJdk() {
        ArchitectureRules.CORE_DEPENDS_ONLY_ON_THE_JDK.check(production);
    }

    @Test
    void adapters_doNotDependOnEachOther() {
        ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER.check(production);
    }

    @Test
    void onlyCompositionRoots_readTheEnvironment() {
        ArchitectureRules.ONLY_COMPOSITION_ROOTS_READ_THE_ENVIRONMENT.check(production);
    }

    @Test
    void ports_areInterfaces() {
        ArchitectureRules.PORTS_ARE_INTERFACES.check(production);
    }

    @Test
    void core_doesNotReadTheSystemClock() {
        ArchitectureRules.CORE_DOES_NOT_READ_THE_SYSTEM_CLOCK.check(production);
    }
}
