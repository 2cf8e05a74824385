package dev.freshet.web;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The web tier is the HTTP edge: it talks to the control plane ({@code dev.freshet.control}) only, never to the
 * engine or the resource adapter; the JSON shapes it answers are its own (the facade's DTOs).
 */
@AnalyzeClasses(packages = "dev.freshet.web", importOptions = ImportOption.DoNotIncludeTests.class)
class WebArchitectureTest {
    @ArchTest
    static final ArchRule noEngine = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.freshet.engine..", "dev.freshet.adapter..");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.freshet.web.(*)..").should().beFreeOfCycles();
}
