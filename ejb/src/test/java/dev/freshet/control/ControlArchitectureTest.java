package dev.freshet.control;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The control plane knows the engine only through the adapter's API and the engine's value types. */
@AnalyzeClasses(packages = "dev.freshet.control", importOptions = ImportOption.DoNotIncludeTests.class)
class ControlArchitectureTest {
    @ArchTest
    static final ArchRule noWeb = noClasses().should().dependOnClassesThat().resideInAPackage("dev.freshet.web..");

    @ArchTest
    static final ArchRule noEngineInternals = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.freshet.adapter.outbound..", "dev.freshet.adapter.inbound..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.freshet.engine.swarm.Engine")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.freshet.adapter.FreshetResourceAdapter");

    /** The API's JSON shapes are the web tier's (its facade's DTOs); the control plane answers domain values. */
    @ArchTest
    static final ArchRule noJsonShapes = noClasses().should().dependOnClassesThat()
            .resideInAPackage("jakarta.json.bind.annotation..");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.freshet.control.(*)..").should().beFreeOfCycles();
}
