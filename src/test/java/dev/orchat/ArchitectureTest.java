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

/** The package dependency rules of docs/architecture.md §3, checked on production classes only. */
@AnalyzeClasses(packages = "dev.orchat", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] FEATURES = {
            "dev.orchat.chat..", "dev.orchat.conversation..", "dev.orchat.mcp..", "dev.orchat.settings..",
            "dev.orchat.upload..", "dev.orchat.ops..", "dev.orchat.catalog..", "dev.orchat.preset..",
            "dev.orchat.stt..", "dev.orchat.builtin..", "dev.orchat.search..", "dev.orchat.transfer.."};

    @ArchTest
    static final ArchRule chatUsesOnlyItsAllowedPackages = classes()
            .that().resideInAPackage("dev.orchat.chat..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.chat..", "dev.orchat.conversation..",
                            "dev.orchat.openrouter..", "dev.orchat.mcp..", "dev.orchat.settings..",
                            "dev.orchat.upload..", "dev.orchat.web..", "dev.orchat.db..", "dev.orchat.config..",
                            "dev.orchat.telemetry..")))
            .because("chat may use conversation, openrouter, mcp, settings, upload (and web, db, config, telemetry)");

    @ArchTest
    static final ArchRule telemetryDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.telemetry..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .because("telemetry is infrastructure that features report to (docs/architecture.md)");

    @ArchTest
    static final ArchRule openrouterAdapterDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.openrouter..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .because("adapters depend on no feature");

    @ArchTest
    static final ArchRule webDependsOnNoFeature = classes()
            .that().resideInAPackage("dev.orchat.web..")
            .should(onlyHaveDependenciesWhere(
                    not(dependencyOrigin(resideInAPackage("dev.orchat.web.."))
                            .and(dependencyTarget(resideInAnyPackage(FEATURES))))))
            .because("web depends on no feature");

    @ArchTest
    static final ArchRule onlyTheApplicationDependsOnChat = noClasses()
            .that(not(resideInAPackage("dev.orchat.chat..")).and(not(resideInAPackage("dev.orchat")))
                    .and(not(resideInAPackage("dev.orchat.openai.."))).and(not(resideInAPackage("dev.orchat.cluster.."))))
            .should().dependOnClassesThat().resideInAPackage("dev.orchat.chat..")
            .because("nothing depends on chat except the application root that wires it, the OpenAI-compatible "
                    + "front door, which runs its turns (docs/api.md, \"OpenAI-compatible API\"), and the cluster, "
                    + "which implements chat's view of turns on other instances (docs/operations.md, \"Several instances\")");

    @ArchTest
    static final ArchRule clusterSeesOnlyChatsPeerSeam = noClasses()
            .that().resideInAPackage("dev.orchat.cluster..")
            .should().dependOnClassesThat(resideInAPackage("dev.orchat.chat..")
                    .and(not(com.tngtech.archunit.base.DescribedPredicate.describe("TurnPeers or CancelReason",
                            (com.tngtech.archunit.core.domain.JavaClass c) -> c.getName().startsWith("dev.orchat.chat.TurnPeers")
                                    || c.getName().equals("dev.orchat.chat.CancelReason")))))
            .because("the cluster implements TurnPeers and nothing else of the chat feature");

    @ArchTest
    static final ArchRule openaiIsAFrontDoorOverTheChatEngine = classes()
            .that().resideInAPackage("dev.orchat.openai..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.openai..", "dev.orchat.chat..", "dev.orchat.catalog..",
                            "dev.orchat.conversation..", "dev.orchat.web..")))
            .because("/v1 translates a protocol: turns run in chat, models come from the catalogue, sessions from "
                    + "conversation; it reaches no DAO, upstream or tool server itself");

    @ArchTest
    static final ArchRule nothingDependsOnOpenai = noClasses()
            .that(not(resideInAPackage("dev.orchat.openai..")).and(not(resideInAPackage("dev.orchat"))))
            .should().dependOnClassesThat().resideInAPackage("dev.orchat.openai..")
            .because("the OpenAI-compatible API is a leaf: only the application wires it");

    @ArchTest
    static final ArchRule conversationDoesNotDependOnChat = noClasses()
            .that().resideInAPackage("dev.orchat.conversation..")
            .should().dependOnClassesThat().resideInAPackage("dev.orchat.chat..")
            .because("history is below the chat feature");

    @ArchTest
    static final ArchRule googleAuthAdapterDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.googleauth..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .because("googleauth is an adapter; the Google built-ins use it, never the other way round");

    @ArchTest
    static final ArchRule sttAdapterDependsOnNoFeature = noClasses()
            .that().resideInAPackage("dev.orchat.stt..")
            .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(FEATURES)
                    .filter(p -> !p.equals("dev.orchat.stt..")).toArray(String[]::new))
            .because("adapters depend on no feature");

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
                    .or(resideInAnyPackage("dev.orchat.settings..", "dev.orchat.openrouter..",
                            "dev.orchat.web..", "dev.orchat.db..")))
            .because("settings sit below presets and chat; they use only the database writer (ADR 0011, 0014)");

    @ArchTest
    static final ArchRule presetUsesSettingsAndMcp = classes()
            .that().resideInAPackage("dev.orchat.preset..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.preset..", "dev.orchat.settings..", "dev.orchat.mcp..",
                            "dev.orchat.web..", "dev.orchat.db..", "dev.orchat.config..")))
            .because("preset may use settings and mcp (plus the database writer, ADR 0011 and 0014)");

    /** Every package of the service, each with a rule below; a new package must be added here and given one. */
    static final java.util.Set<String> PACKAGES = java.util.Set.of("dev.orchat", "dev.orchat.builtin",
            "dev.orchat.catalog", "dev.orchat.chat", "dev.orchat.cluster", "dev.orchat.config", "dev.orchat.conversation", "dev.orchat.db",
            "dev.orchat.googleauth", "dev.orchat.mcp", "dev.orchat.mcp.config", "dev.orchat.mcp.external",
            "dev.orchat.openai", "dev.orchat.openrouter", "dev.orchat.openrouter.sse", "dev.orchat.ops",
            "dev.orchat.preset", "dev.orchat.search", "dev.orchat.settings", "dev.orchat.stt", "dev.orchat.telemetry",
            "dev.orchat.transfer", "dev.orchat.upload", "dev.orchat.web");

    @ArchTest
    static final ArchRule everyPackageIsKnown = classes().should(new com.tngtech.archunit.lang.ArchCondition<>(
            "reside in a package this test has rules for") {
        @Override
        public void check(com.tngtech.archunit.core.domain.JavaClass item,
                          com.tngtech.archunit.lang.ConditionEvents events) {
            if (!PACKAGES.contains(item.getPackageName())) {
                events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(item,
                        item.getName() + " is in " + item.getPackageName() + ", which ArchitectureTest does not know"));
            }
        }
    });

    @ArchTest
    static final ArchRule chatSeesNoDao = noClasses()
            .that().resideInAPackage("dev.orchat.chat..")
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Dao")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.orchat.db.PinnedHandle")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.orchat.db.Database")
            .because("chat reads and writes only through the conversation's turn-store API (docs/architecture.md)");

    @ArchTest
    static final ArchRule conversationUsesInfrastructureOnly = classes()
            .that().resideInAPackage("dev.orchat.conversation..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.conversation..", "dev.orchat.db..", "dev.orchat.web..")))
            .because("the store sits below every feature");

    @ArchTest
    static final ArchRule dbAndConfigUseNothingOfOurs = classes()
            .that().resideInAnyPackage("dev.orchat.db..", "dev.orchat.config..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.db..", "dev.orchat.config..")))
            .because("infrastructure is the bottom layer");

    @ArchTest
    static final ArchRule mcpUsesInfrastructureOnly = classes()
            .that().resideInAPackage("dev.orchat.mcp..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.mcp..", "dev.orchat.web..", "dev.orchat.db..",
                            "dev.orchat.config..", "dev.orchat.telemetry..")))
            .because("the supervisor receives the built-ins as a map; it imports none of them");

    @ArchTest
    static final ArchRule builtinUsesWhatItServes = classes()
            .that().resideInAPackage("dev.orchat.builtin..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.builtin..", "dev.orchat.mcp..", "dev.orchat.conversation..",
                            "dev.orchat.upload..", "dev.orchat.googleauth..", "dev.orchat.db..", "dev.orchat.web..")))
            .because("built-ins implement mcp's interfaces over read-only views of other features");

    @ArchTest
    static final ArchRule uploadUsesTheStoreAndInfrastructure = classes()
            .that().resideInAPackage("dev.orchat.upload..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.upload..", "dev.orchat.conversation..", "dev.orchat.db..",
                            "dev.orchat.web..", "dev.orchat.config..")))
            .because("attachments are below chat");

    @ArchTest
    static final ArchRule opsObservesWithoutDrivingFeatures = classes()
            .that().resideInAPackage("dev.orchat.ops..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.ops..", "dev.orchat.conversation..", "dev.orchat.settings..",
                            "dev.orchat.openrouter..", "dev.orchat.db..", "dev.orchat.web..")))
            .because("operations observe features; they never run turns");

    @ArchTest
    static final ArchRule searchReadsTheIndexAndWiresTransfer = classes()
            .that().resideInAPackage("dev.orchat.search..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.search..", "dev.orchat.transfer..", "dev.orchat.upload..",
                            "dev.orchat.db..", "dev.orchat.web.."))
                    .or(resideInAPackage("dev.orchat")))
            .because("search reads the index through db, extracts attachment text with upload, and its wiring"
                    + " (given the root configuration) also wires transfer (docs/architecture.md §3)");

    @ArchTest
    static final ArchRule transferUsesTheStoreAndUploads = classes()
            .that().resideInAPackage("dev.orchat.transfer..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.orchat..")
                    .or(resideInAnyPackage("dev.orchat.transfer..", "dev.orchat.conversation..",
                            "dev.orchat.upload..", "dev.orchat.db..", "dev.orchat.web..")))
            .because("export and import read and write rows through db, check session ids with conversation and"
                    + " store files with upload; they know nothing of search or chat");

    @ArchTest
    static final ArchRule onlyTheApplicationReachesSearchAndTransfer = noClasses()
            .that(not(resideInAnyPackage("dev.orchat", "dev.orchat.search..", "dev.orchat.transfer..")))
            .should().dependOnClassesThat().resideInAnyPackage("dev.orchat.search..", "dev.orchat.transfer..")
            .because("search and transfer sit on top: the application wires them, no other feature calls them");

    @ArchTest
    static final ArchRule turnEngineSignaturesStayShort = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
            .codeUnits().that().areDeclaredInClassesThat().resideInAnyPackage("dev.orchat.chat..",
                    "dev.orchat.conversation..", "dev.orchat.openrouter..")
            .should(new com.tngtech.archunit.lang.ArchCondition<>("take at most 8 parameters") {
                @Override
                public void check(com.tngtech.archunit.core.domain.JavaCodeUnit item,
                                  com.tngtech.archunit.lang.ConditionEvents events) {
                    if (item.getRawParameterTypes().size() > 8 && !item.getOwner().isAnonymousClass()) {
                        events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(item,
                                item.getFullName() + " takes " + item.getRawParameterTypes().size() + " parameters"));
                    }
                }
            })
            .because("a long positional list hides which value is which; group values in records");

    @ArchTest
    static final ArchRule webReadsNoRootConfiguration = noClasses()
            .that().resideInAPackage("dev.orchat.web..")
            .should().dependOnClassesThat().resideInAPackage("dev.orchat")
            .because("the application hands web/ the settings it needs (WebWiring.Settings)");
}
