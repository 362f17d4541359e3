package ai.sentx.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * The hexagon's rules, stated once. {@link ArchitectureTest} applies them to the real classes;
 * {@link ArchitectureRulesCanFailTest} proves each one reports a deliberate violation.
 *
 * <p>Every rule keeps ArchUnit's default {@code allowEmptyShould(false)}: a rule whose
 * {@code that()} matches no class fails instead of passing silently.
 */
final class ArchitectureRules {

    /** The hexagon's inside: values, pure functions, driven ports, use cases, SSE framing. */
    static final String[] CORE = {"ai.sentx.domain..", "ai.sentx.port..", "ai.sentx.application..", "ai.sentx.sse.."};

    /** The only places that read the environment and wire adapters together. */
    static final String[] COMPOSITION_ROOTS = {"ai.sentx.local..", "ai.sentx.lambda.."};

    /**
     * Packages of the JDK the core may use. {@code javax.crypto} is part of {@code java.base}
     * and carries the HMAC the key hasher needs; nothing else under {@code javax} is allowed.
     */
    private static final String[] JDK = {"java..", "javax.crypto.."};

    static final ArchRule CORE_DEPENDS_ONLY_ON_THE_JDK = classes()
            .that().resideInAnyPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(JDK, CORE))
            .because("the core must run and be tested without any framework or adapter");

    static final ArchRule ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER = slices()
            .matching("ai.sentx.(http|persistence|model|storage|payments|content|identity)..")
            .should().notDependOnEachOther()
            .because("adapters meet only through the core's ports; the composition roots wire them");

    static final ArchRule ONLY_COMPOSITION_ROOTS_READ_THE_ENVIRONMENT = noClasses()
            .that().resideOutsideOfPackages(COMPOSITION_ROOTS)
            .should().accessTargetWhere(anyOf(
                    call(System.class, "getenv"),
                    call(System.class, "getenv", String.class)))
            .because("configuration is read once in a composition root and passed in");

    static final ArchRule PORTS_ARE_INTERFACES = classes()
            .that().resideInAPackage("ai.sentx.port..")
            .and().areTopLevelClasses()
            .and().areNotRecords()
            .and().areNotEnums()
            .and().areNotAssignableTo(Throwable.class)
            .should().beInterfaces()
            .because("driven ports are interfaces; their values are records, enums or exceptions");

    static final ArchRule CORE_DOES_NOT_READ_THE_SYSTEM_CLOCK = noClasses()
            .that().resideInAnyPackage(CORE)
            .should().accessTargetWhere(anyOf(
                    nowWithoutClock(),
                    call(System.class, "currentTimeMillis"),
                    call(Clock.class, "systemUTC"),
                    call(Clock.class, "systemDefaultZone"),
                    call(Clock.class, "system", ZoneId.class)))
            .because("time comes from an injected java.time.Clock, so tests can fix it");

    /** All rules, for tests that go through every one. */
    static final List<ArchRule> ALL = List.of(
            CORE_DEPENDS_ONLY_ON_THE_JDK,
            ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER,
            ONLY_COMPOSITION_ROOTS_READ_THE_ENVIRONMENT,
            PORTS_ARE_INTERFACES,
            CORE_DOES_NOT_READ_THE_SYSTEM_CLOCK);

    private ArchitectureRules() {
    }

    /**
     * Matches a call of, or a method reference to, {@code owner.name(parameters)} with exactly
     * these parameter types.
     */
    private static DescribedPredicate<JavaAccess<?>> call(Class<?> owner, String name, Class<?>... parameters) {
        List<String> parameterNames = Arrays.stream(parameters).map(Class::getName).toList();
        String description = owner.getSimpleName() + "." + name + "("
                + String.join(", ", Arrays.stream(parameters).map(Class::getSimpleName).toList()) + ")";
        return DescribedPredicate.describe(description, access -> {
            AccessTarget target = access.getTarget();
            return target instanceof CodeUnitAccessTarget codeUnit
                    && target.getOwner().isEquivalentTo(owner)
                    && target.getName().equals(name)
                    && codeUnit.getRawParameterTypes().stream().map(JavaClass::getName).toList().equals(parameterNames);
        });
    }

    /**
     * Matches {@code Instant.now()}, {@code LocalDateTime.now(ZoneId)} and every other
     * {@code java.time} {@code now} overload that does not take a {@link Clock}.
     */
    private static DescribedPredicate<JavaAccess<?>> nowWithoutClock() {
        return DescribedPredicate.describe("java.time *.now() without a Clock", access -> {
            AccessTarget target = access.getTarget();
            return target instanceof CodeUnitAccessTarget codeUnit
                    && target.getOwner().getPackageName().equals("java.time")
                    && target.getName().equals("now")
                    && codeUnit.getRawParameterTypes().stream().noneMatch(type -> type.isEquivalentTo(Clock.class));
        });
    }

    @SafeVarargs
    private static DescribedPredicate<JavaAccess<?>> anyOf(DescribedPredicate<JavaAccess<?>>... predicates) {
        DescribedPredicate<JavaAccess<?>> any = predicates[0];
        for (int i = 1; i < predicates.length; i++) {
            any = any.or(predicates[i]);
        }
        return any;
    }

    private static String[] concat(String[] first, String[] second) {
        String[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
