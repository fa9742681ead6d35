/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** No two packages of this module's main code depend on each other, directly or through others. */
@AnalyzeClasses(packages = "dev.cskit.server", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    /** Every package is its own slice, so any cycle between packages fails. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.cskit.(**)").should().beFreeOfCycles();
}
