package io.tarn.api.ui;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins the UI's own ES modules into one module, so a browser fetches one file instead of one per
 * module (each a round trip on a first visit). It is not a general bundler: it accepts only the forms
 * the UI is written in and refuses anything else when the server starts, naming the file and line.
 *
 * <ul>
 *   <li>imports at the start of a line: {@code import { a, b as c } from './x.js';},
 *       {@code import x from 'lib';} (a default import), {@code import './x.js';};</li>
 *   <li>relative specifiers name other modules of the set; bare ones ({@code preact}) stay imports of
 *       the joined module (the import map resolves them);</li>
 *   <li>exports at the start of a line: {@code export function|async function|class|const NAME};
 *       no {@code export let}/{@code var} (a live binding cannot survive the join), no re-exports, no
 *       {@code export default}, no cycles between modules.</li>
 * </ul>
 *
 * Each module becomes a function scope evaluated once, in the order the browser would evaluate the
 * modules (depth first, imports in source order), returning its exports; an import becomes a
 * {@code const} destructuring of them. Top-level names of two modules cannot collide, and an import
 * of a name the other module does not export fails here rather than as {@code undefined} in a browser.
 */
final class ModuleLinker {
    private static final Pattern IMPORT = Pattern.compile(
            "^import\\s+(?:(?:\\{([^}]*)\\}|([A-Za-z_$][\\w$]*))\\s+from\\s+)?'([^']+)';[ \\t]*\\r?\\n?", Pattern.MULTILINE);
    private static final Pattern EXPORT = Pattern.compile(
            "^export\\s+(?=(?:async\\s+function\\*?|function\\*?|class|const)\\s+([A-Za-z_$][\\w$]*))", Pattern.MULTILINE);
    private static final Pattern LEFT_OVER = Pattern.compile("^(?:import|export)\\b.*$", Pattern.MULTILINE);
    private static final Pattern BINDING = Pattern.compile("([A-Za-z_$][\\w$]*)(?:\\s+as\\s+([A-Za-z_$][\\w$]*))?");

    private record Import(String bindings, String defaultName, String specifier, int line) {}

    private record Module(String name, String body, List<Import> imports, Set<String> exports) {}

    private ModuleLinker() {}

    /**
     * The modules reachable from {@code entry} joined into one module's source.
     *
     * @param sources the modules by path ({@code app/main.js})
     * @param bareNames the specifiers the import map resolves ({@code preact}, {@code htm})
     * @throws IOException when a module is missing, has a form this linker does not take, or is part of a cycle
     */
    static String link(Map<String, String> sources, String entry, Set<String> bareNames) throws IOException {
        Map<String, Module> parsed = new HashMap<>();
        List<Module> order = new ArrayList<>();
        visit(entry, sources, bareNames, parsed, new LinkedHashSet<>(), order, null);
        Map<String, String> libNames = new LinkedHashMap<>();
        Map<String, String> moduleNames = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            moduleNames.put(order.get(i).name(), "__tarn_m" + i);
            for (Import imp : order.get(i).imports()) {
                if (bareNames.contains(imp.specifier())) {
                    libNames.computeIfAbsent(imp.specifier(), s -> "__tarn_lib" + libNames.size());
                }
            }
        }
        StringBuilder out = new StringBuilder("// The web UI's modules joined into one (io.tarn.api.ui.ModuleLinker).\n");
        for (Map.Entry<String, String> lib : libNames.entrySet()) {
            out.append("import * as ").append(lib.getValue()).append(" from '").append(lib.getKey()).append("';\n");
        }
        for (Module module : order) {
            out.append("\n// ").append(module.name()).append('\n')
                    .append("const ").append(moduleNames.get(module.name())).append(" = (() => {\n");
            for (Import imp : module.imports()) {
                boolean lib = bareNames.contains(imp.specifier());
                String from = lib ? libNames.get(imp.specifier()) : moduleNames.get(resolve(module.name(), imp.specifier()));
                if (imp.defaultName() != null) {
                    out.append("const { default: ").append(imp.defaultName()).append(" } = ").append(from).append(";\n");
                } else if (imp.bindings() != null) {
                    List<String> parts = new ArrayList<>();
                    for (String[] binding : bindings(module, imp)) {
                        if (!lib && !parsed.get(resolve(module.name(), imp.specifier())).exports().contains(binding[0])) {
                            throw new IOException("the web UI's " + module.name() + " (line " + imp.line() + ") imports "
                                    + binding[0] + ", which " + resolve(module.name(), imp.specifier()) + " does not export");
                        }
                        parts.add(binding[0].equals(binding[1]) ? binding[0] : binding[0] + ": " + binding[1]);
                    }
                    if (!parts.isEmpty()) {
                        out.append("const { ").append(String.join(", ", parts)).append(" } = ").append(from).append(";\n");
                    }
                }
            }
            out.append(module.body());
            if (!module.body().endsWith("\n")) {
                out.append('\n');
            }
            out.append("return { ").append(String.join(", ", module.exports())).append(" };\n})();\n");
        }
        return out.toString();
    }

    private static void visit(String name, Map<String, String> sources, Set<String> bareNames, Map<String, Module> parsed,
            LinkedHashSet<String> path, List<Module> order, String importer) throws IOException {
        if (parsed.containsKey(name)) {
            return;
        }
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>(path);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            throw new IOException("the web UI's modules import each other in a cycle: " + String.join(" -> ", cycle) + " -> " + name);
        }
        String source = sources.get(name);
        if (source == null) {
            throw new IOException("the web UI's " + (importer == null ? "index" : importer) + " imports a missing module: " + name);
        }
        path.add(name);
        Module module = parse(name, source, bareNames);
        for (Import imp : module.imports()) {
            if (!bareNames.contains(imp.specifier())) {
                visit(resolve(name, imp.specifier()), sources, bareNames, parsed, path, order, name);
            }
        }
        path.remove(name);
        parsed.put(name, module);
        order.add(module);
    }

    private static Module parse(String name, String source, Set<String> bareNames) throws IOException {
        List<Import> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        Matcher m = IMPORT.matcher(source);
        int last = 0;
        while (m.find()) {
            String specifier = m.group(3);
            int line = lineOf(source, m.start());
            if (!bareNames.contains(specifier) && !specifier.startsWith("./") && !specifier.startsWith("../")) {
                throw new IOException("the web UI's " + name + " (line " + line + ") imports '" + specifier
                        + "': neither a relative path nor a name of importmap.json");
            }
            imports.add(new Import(m.group(1), m.group(2), specifier, line));
            body.append(source, last, m.start());
            last = m.end();
        }
        body.append(source.substring(last));
        Set<String> exports = new LinkedHashSet<>();
        Matcher e = EXPORT.matcher(body);
        StringBuilder stripped = new StringBuilder();
        last = 0;
        while (e.find()) {
            if (!exports.add(e.group(1))) {
                throw new IOException("the web UI's " + name + " exports " + e.group(1) + " twice");
            }
            stripped.append(body, last, e.start());
            last = e.end();
        }
        stripped.append(body.substring(last));
        Matcher left = LEFT_OVER.matcher(stripped);
        if (left.find()) {
            throw new IOException("the web UI's " + name + " has an import or export this server cannot join: "
                    + left.group().strip());
        }
        return new Module(name, stripped.toString(), imports, exports);
    }

    private static List<String[]> bindings(Module module, Import imp) throws IOException {
        List<String[]> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : imp.bindings().split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            Matcher b = BINDING.matcher(p);
            if (!b.matches()) {
                throw new IOException("the web UI's " + module.name() + " (line " + imp.line() + ") has an import binding "
                        + "this server cannot join: " + p);
            }
            String local = b.group(2) == null ? b.group(1) : b.group(2);
            if (!seen.add(local)) {
                throw new IOException("the web UI's " + module.name() + " imports " + local + " twice");
            }
            out.add(new String[] {b.group(1), local});
        }
        return out;
    }

    /** {@code ./x.js} (or {@code ../y/x.js}) relative to the module {@code app/a.js}. */
    static String resolve(String from, String specifier) throws IOException {
        List<String> parts = new ArrayList<>(List.of(from.split("/")));
        parts.remove(parts.size() - 1);
        for (String segment : specifier.split("/")) {
            if (segment.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IOException("the web UI's " + from + " imports " + specifier + ", outside the UI's files");
                }
                parts.remove(parts.size() - 1);
            } else if (!segment.equals(".") && !segment.isEmpty()) {
                parts.add(segment);
            }
        }
        return String.join("/", parts);
    }

    private static int lineOf(CharSequence text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
