/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.example.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * cs-bom manages exactly cskit's published library modules, at the reactor's version, and nothing else: no
 * parent (whose dependencyManagement an import would bring along), no third-party versions. A library module is a
 * module of the root reactor with jar packaging that is deployed; examples and cs-bench are not.
 */
class BomTest {

    private static final Path ROOT = Path.of("..", "..");

    @Test
    void bomManagesEveryPublishedLibraryModuleAndNothingElse() throws Exception {
        Element bom = pom(ROOT.resolve("cs-bom/pom.xml"));
        Element root = pom(ROOT.resolve("pom.xml"));
        assertTrue(children(bom, "parent").isEmpty(), "cs-bom must not inherit cskit-parent's dependencyManagement");
        assertEquals(text(root, "version"), text(bom, "version"), "cs-bom's version is the reactor's");
        assertTrue(children(bom, "dependencies").isEmpty(), "a BOM has no dependencies of its own");

        Set<String> managed = new TreeSet<>();
        Element dm = children(bom, "dependencyManagement").get(0);
        for (Element d : children(children(dm, "dependencies").get(0), "dependency")) {
            assertEquals("dev.cskit", text(d, "groupId"), "a third-party version in cs-bom: " + text(d, "artifactId"));
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId"));
            assertTrue(children(d, "scope").isEmpty() && children(d, "type").isEmpty(), text(d, "artifactId"));
            managed.add(text(d, "artifactId"));
        }

        Set<String> published = new TreeSet<>();
        for (Element m : children(children(root, "modules").get(0), "module")) {
            Path dir = ROOT.resolve(m.getTextContent().trim());
            Element pom = pom(dir.resolve("pom.xml"));
            boolean jar = children(pom, "packaging").isEmpty() || text(pom, "packaging").equals("jar");
            List<Element> props = children(pom, "properties");
            boolean deployed = props.isEmpty() || children(props.get(0), "maven.deploy.skip").isEmpty()
                    || !text(props.get(0), "maven.deploy.skip").equals("true");
            if (jar && deployed) {
                published.add(text(pom, "artifactId"));
            }
        }
        assertTrue(published.contains("cs-core"), "found the library modules: " + published);
        assertEquals(published, managed, "cs-bom must manage every published module of the root reactor");
    }

    private static Element pom(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " (run from examples/modular)");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }

    /** The child elements of {@code parent} named {@code name}. */
    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertEquals(1, found.size(), "<" + name + "> in <" + parent.getTagName() + ">");
        return found.get(0).getTextContent().trim();
    }
}
