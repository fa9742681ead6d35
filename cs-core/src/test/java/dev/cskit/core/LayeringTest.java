/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Which package of cs-core may know what. */
@AnalyzeClasses(packages = "dev.cskit.core", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /** The HTTP API sees the media path only through {@code core.media}'s own types (e.g. its peer reports). */
    @ArchTest
    static final ArchRule httpDoesNotReachIntoCsMedia = noClasses().that().resideInAPackage("dev.cskit.core.http..")
            .should().dependOnClassesThat().resideInAPackage("dev.cskit.media..");

    /**
     * The agent router and its state know no JSON and no rooms (a later store, e.g. a shared one, replaces
     * {@code RoutingState} without touching frames); the lobby in {@code agent.lobby} does.
     */
    @ArchTest
    static final ArchRule routerKnowsNoJsonNorRooms = noClasses().that().resideInAPackage("dev.cskit.core.agent")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml..", "dev.cskit.api.room..",
                    "dev.cskit.core.json..", "dev.cskit.core.agent.lobby..");

    /**
     * The metrics read the media engine only through {@code MediaStatsSource}, whose one binding lives in
     * {@code core.media}: a change of the engine's counters changes that class, not the metrics.
     */
    @ArchTest
    static final ArchRule metricsDoNotReachIntoCsMedia = noClasses().that().resideInAPackage("dev.cskit.core.metrics..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cskit.media..", "dev.cskit.core.media..");
}
