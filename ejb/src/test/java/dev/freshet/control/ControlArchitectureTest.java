package dev.freshet.control;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
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

    /**
     * The adapter's implementation is not even on this module's classpath (ejb compiles against
     * {@code freshet-adapter-api}); of the engine, which comes with the API, only its value types may be named:
     * the bencode and metainfo libraries, torrent creation, and the few swarm and wire values the API's
     * signatures carry. Never its machinery (Engine, Swarm, NetworkLoop, storage, picker, choker).
     */
    @ArchTest
    static final ArchRule onlyEngineValueTypes = noClasses().should().dependOnClassesThat(
            new DescribedPredicate<JavaClass>("are engine machinery rather than the value types the adapter API names") {
                @Override
                public boolean test(JavaClass c) {
                    String pkg = c.getPackageName();
                    if (!pkg.startsWith("dev.freshet.engine")) {
                        return false;
                    }
                    if (pkg.startsWith("dev.freshet.engine.bencode") || pkg.startsWith("dev.freshet.engine.metainfo")
                            || pkg.startsWith("dev.freshet.engine.create")) {
                        return false;
                    }
                    String name = c.getName();
                    return !(name.startsWith("dev.freshet.engine.swarm.SwarmStatus")
                            || name.equals("dev.freshet.engine.swarm.SwarmState")
                            || name.startsWith("dev.freshet.engine.swarm.SwarmOptions")
                            || name.equals("dev.freshet.engine.swarm.UnknownSwarmException")
                            || name.equals("dev.freshet.engine.swarm.PeerPreference")
                            || name.equals("dev.freshet.engine.swarm.WanTotals")
                            || name.equals("dev.freshet.engine.swarm.SecureMember")
                            || name.equals("dev.freshet.engine.swarm.DiskLimits")
                            || name.equals("dev.freshet.engine.wire.PeerId")
                            || name.startsWith("dev.freshet.engine.storage.PieceLayout"));
                }
            });

    /** The API's JSON shapes are the web tier's (its facade's DTOs); the control plane answers domain values. */
    @ArchTest
    static final ArchRule noJsonShapes = noClasses().should().dependOnClassesThat()
            .resideInAPackage("jakarta.json.bind.annotation..");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.freshet.control.(*)..").should().beFreeOfCycles();
}
