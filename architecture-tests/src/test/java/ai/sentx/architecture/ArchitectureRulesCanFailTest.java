package ai.sentx.architecture;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.archfixture.CoreUsingAnAdapter;
import ai.sentx.domain.archfixture.ReadsInjectedClock;
import ai.sentx.domain.archfixture.ReadsSystemClock;
import ai.sentx.http.archfixture.HttpFixture;
import ai.sentx.local.archfixture.LocalMainFixture;
import ai.sentx.persistence.archfixture.ReadsEnvironment;
import ai.sentx.port.archfixture.ConcretePort;
import ai.sentx.port.archfixture.PortFailure;
import ai.sentx.port.archfixture.PortRecord;
import ai.sentx.port.archfixture.PortValues;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves every rule in {@link ArchitectureRules} can fail: each is applied to fixture classes
 * (test sources of this module, packages {@code ai.sentx.*.archfixture}) that break it on
 * purpose, and must report exactly those offenders, not an empty match or a bystander.
 */
class ArchitectureRulesCanFailTest {

    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(
                        "ai.sentx.domain.archfixture",
                        "ai.sentx.http.archfixture",
                        "ai.sentx.persistence.archfixture",
                        "ai.sentx.port.archfixture",
                        "ai.sentx.local.archfixture");
    }

    @Test
    void everyRuleIsProvedHere() {
        assertEquals(5, ArchitectureRules.ALL.size(), "a new rule needs a fixture that breaks it in this class");
    }

    @Test
    void coreDependingOnAnAdapter_breaks_CORE_DEPENDS_ONLY_ON_THE_JDK() {
        String report = violations(ArchitectureRules.CORE_DEPENDS_ONLY_ON_THE_JDK);

        assertReports(report, CoreUsingAnAdapter.class.getName() + ".adapter()", HttpFixture.class.getName());
        assertDoesNotReport(report, ReadsInjectedClock.class, ConcretePort.class, PortValues.class);
    }

    @Test
    void adapterUsingAnotherAdapter_breaks_ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER() {
        String report = violations(ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER);

        assertReports(report, "Slice http", "Slice persistence", HttpFixture.class.getName() + ".store()");
        assertDoesNotReport(report, LocalMainFixture.class);
    }

    @Test
    void adapterReadingTheEnvironment_breaks_ONLY_COMPOSITION_ROOTS_READ_THE_ENVIRONMENT() {
        String report = violations(ArchitectureRules.ONLY_COMPOSITION_ROOTS_READ_THE_ENVIRONMENT);

        String offender = ReadsEnvironment.class.getName();
        assertReports(report,
                "<" + offender + ".oneVariable()> calls method <java.lang.System.getenv(java.lang.String)>",
                "<" + offender + ".wholeEnvironment()> calls method <java.lang.System.getenv()>",
                "<" + offender + ".environmentReference()> references method <java.lang.System.getenv()>");
        assertDoesNotReport(report, LocalMainFixture.class);
    }

    @Test
    void portWrittenAsAClass_breaks_PORTS_ARE_INTERFACES() {
        String report = violations(ArchitectureRules.PORTS_ARE_INTERFACES);

        assertReports(report, ConcretePort.class.getName());
        assertDoesNotReport(report, PortValues.class, PortRecord.class, PortFailure.class);
    }

    @Test
    void coreReadingTheSystemClock_breaks_CORE_DOES_NOT_READ_THE_SYSTEM_CLOCK() {
        String report = violations(ArchitectureRules.CORE_DOES_NOT_READ_THE_SYSTEM_CLOCK);

        String offender = ReadsSystemClock.class.getName();
        assertReports(report,
                "<" + offender + ".instantNow()> calls method <java.time.Instant.now()>",
                "<" + offender + ".localDateTimeNow()> calls method <java.time.LocalDateTime.now()>",
                "<" + offender + ".localDateTimeNowInZone()> calls method <java.time.LocalDateTime.now(java.time.ZoneId)>",
                "<" + offender + ".currentTimeMillis()> calls method <java.lang.System.currentTimeMillis()>",
                "<" + offender + ".systemUtc()> calls method <java.time.Clock.systemUTC()>",
                "<" + offender + ".instantNowReference()> references method <java.time.Instant.now()>");
        assertDoesNotReport(report, ReadsInjectedClock.class);
    }

    /** Evaluates the rule on the fixtures, checks it fails the way a build would, returns its report. */
    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(fixtures);
        assertTrue(result.hasViolation(), () -> "rule reported no violation: " + rule.getDescription());
        assertThrows(AssertionError.class, () -> rule.check(fixtures));
        return String.join("\n", result.getFailureReport().getDetails());
    }

    private static void assertReports(String report, String... expected) {
        assertAll(Arrays.stream(expected).map(part ->
                () -> assertTrue(report.contains(part), () -> "expected <" + part + "> in report:\n" + report)));
    }

    private static void assertDoesNotReport(String report, Class<?>... bystanders) {
        List<String> names = Arrays.stream(bystanders).map(Class::getName).toList();
        assertAll(names.stream().map(name ->
                () -> assertFalse(report.contains(name + ".") || report.contains("<" + name + ">"),
                        () -> "did not expect " + name + " in report:\n" + report)));
    }
}
