package dev.freshet.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The engine is plain Java: no container, no knowledge of what wraps it, no cycles between its packages. */
@AnalyzeClasses(packages = "dev.freshet", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineArchitectureTest {

    @ArchTest
    static final ArchRule engineImportsNoJakarta = noClasses().that().resideInAPackage("dev.freshet.engine..")
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("a Jakarta (or javax EE) class",
                    c -> c.getPackageName().startsWith("jakarta.") || c.getPackageName().startsWith("javax.")
                            && !c.getPackageName().startsWith("javax.net.ssl") && !c.getPackageName().startsWith("javax.crypto")
                            && !c.getPackageName().startsWith("javax.security.auth.x500")))
            .because("the engine must run and be tested without a container (the JDK's own javax.net.ssl and javax.crypto "
                    + "are Java SE: peer TLS uses them)");

    @ArchTest
    static final ArchRule engineKnowsNothingOfWhatWrapsIt = noClasses().that().resideInAPackage("dev.freshet.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.freshet.adapter..", "dev.freshet.control..", "dev.freshet.web..");

    @ArchTest
    static final ArchRule enginePackagesHaveNoCycles = slices().matching("dev.freshet.engine.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule pureAlgorithmsDoNoIo = noClasses()
            .that().resideInAnyPackage("dev.freshet.engine.picker..", "dev.freshet.engine.choker..", "dev.freshet.engine.ratelimit..")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.channels..", "java.net..", "java.io..")
            .because("picker, choker and rate limits are pure, deterministic classes");
}
