package dev.orchat;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependency;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependencyOrigin;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependencyTarget;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package dependency rules of DESIGN §2, checked on production classes only. */
@AnalyzeClasses(packages = "dev.orchat", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] FEATURES = {
            "dev.orchat.chat..", "dev.orchat.conversation..", "dev.orchat.mcp..", "dev.orchat.settings..",
            "dev.orchat.upload..", "dev.orchat.ops..", "dev.orchat.catalog..", "dev.orchat.preset..",
            "dev.orchat.stt..", "dev.orchat.builtin.."};

    @ArchTest
    static final ArchRule chatUsesOnlyItsAllowedPackages = classes()
            .that().resideInAPackage("dev.orchat.chat..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.chat..", "dev.orchat.conversation..",
                            "dev.orchat.openrouter..", "dev.orchat.mcp..", "dev.orchat.settings..",
                            "dev.orchat.upload..", "dev.orchat.web..", "dev.orchat.db..", "dev.orchat.config..",
                            "dev.orchat.telemetry..")))
            .because("DESIGN §2: chat may use conversation, openrouter, mcp, settings, upload (and web, db, config, telemetry)");

    @ArchTest
    static final ArchRule telemetryDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.telemetry..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .because("telemetry is infrastructure that features report to (docs/architecture.md)");

    @ArchTest
    static final ArchRule openrouterAdapterDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.openrouter..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .because("DESIGN §2: adapters depend on no feature");

    @ArchTest
    static final ArchRule webDependsOnNoFeature = classes()
            .that().resideInAPackage("dev.orchat.web..")
            .should(onlyHaveDependenciesWhere(
                    not(dependencyOrigin(resideInAPackage("dev.orchat.web.."))
                            .and(dependencyTarget(resideInAnyPackage(FEATURES))))))
            .because("DESIGN §2: web depends on no feature");

    @ArchTest
    static final ArchRule onlyTheApplicationDependsOnChat = noClasses()
            .that(not(resideInAPackage("dev.orchat.chat..")).and(not(resideInAPackage("dev.orchat"))))
            .should().dependOnClassesThat().resideInAPackage("dev.orchat.chat..")
            .because("DESIGN §2: nothing depends on chat except the application root that wires it");

    @ArchTest
    static final ArchRule conversationDoesNotDependOnChat = noClasses()
            .that().resideInAPackage("dev.orchat.conversation..")
            .should().dependOnClassesThat().resideInAPackage("dev.orchat.chat..")
            .because("DESIGN §2: history is below the chat feature");

    @ArchTest
    static final ArchRule googleAuthAdapterDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.googleauth..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .because("DESIGN §2: googleauth is an adapter; the Google built-ins use it, never the other way round");

    @ArchTest
    static final ArchRule sttAdapterDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.stt..")
            .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(FEATURES)
                    .filter(p -> !p.equals("dev.orchat.stt..")).toArray(String[]::new))
            .because("DESIGN §2: adapters depend on no feature");

    @ArchTest
    static final ArchRule catalogUsesOnlyTheUpstreamAdapter = classes()
            .that().resideInAPackage("dev.orchat.catalog..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.catalog..", "dev.orchat.openrouter..", "dev.orchat.web..")))
            .because("the catalogue is a leaf feature over the upstream adapter; others call it, not the reverse");

    @ArchTest
    static final ArchRule settingsUseNoOtherFeature = classes()
            .that().resideInAPackage("dev.orchat.settings..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.settings..", "dev.orchat.conversation..", "dev.orchat.openrouter..",
                            "dev.orchat.web..", "dev.orchat.db..")))
            .because("settings sit below presets and chat; they borrow only the single SQLite writer (ADR 0011)");

    @ArchTest
    static final ArchRule presetUsesSettingsAndMcp = classes()
            .that().resideInAPackage("dev.orchat.preset..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.preset..", "dev.orchat.settings..", "dev.orchat.mcp..",
                            "dev.orchat.conversation..", "dev.orchat.web..", "dev.orchat.db..")))
            .because("DESIGN §2: preset may use settings and mcp (plus the single SQLite writer, ADR 0011)");
}
