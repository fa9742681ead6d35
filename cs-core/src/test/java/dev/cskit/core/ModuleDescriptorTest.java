/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin is found on both paths: class-path users read {@code META-INF/services}, module-path users the
 * {@code provides} of module-info. Both must name the same providers. (ModulePathIT in examples/modular runs it.)
 */
class ModuleDescriptorTest {

    @Test
    void providesAgreesWithMetaInfServices() throws Exception {
        Path classes = Path.of(CustomerService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        assertEquals("dev.cskit.core", module.name());
        Map<String, List<String>> provides = module.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers,
                        (a, b) -> a, TreeMap::new));

        Map<String, List<String>> services = new TreeMap<>();
        try (Stream<Path> files = Files.list(classes.resolve("META-INF/services"))) {
            for (Path f : files.sorted().toList()) {
                services.put(f.getFileName().toString(), Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                        .map(l -> l.replaceFirst("#.*", "").strip())
                        .filter(l -> !l.isEmpty())
                        .toList());
            }
        }
        assertFalse(services.isEmpty(), "cs-core registers its plugin in META-INF/services");
        assertEquals(services, provides);
    }
}
