package io.tarn.api.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleLinkerTest {
    private static final Set<String> LIBS = Set.of("preact", "htm");

    @Test
    void modulesAreJoinedInTheOrderABrowserEvaluatesThem() throws IOException {
        String joined = ModuleLinker.link(Map.of(
                "app/main.js", "import { a, b as bee } from './a.js';\nimport './side.js';\nimport htm from 'htm';\n"
                        + "import { h } from 'preact';\nconsole.log(a, bee, htm, h);\n",
                "app/a.js", "import { c } from './sub/c.js';\nexport const a = c + 1;\nexport function b() { return 'b'; }\n"
                        + "export async function unused() {}\nexport class K {}\n",
                "app/sub/c.js", "import { h } from 'preact';\nexport const c = 41;\n",
                "app/side.js", "globalThis.sideEffect = 1;\n",
                "app/unreachable.js", "export let nope = 1;\n"), "app/main.js", LIBS);
        assertThat(joined).contains("import * as __tarn_lib0 from 'preact';", "import * as __tarn_lib1 from 'htm';");
        // each module once, dependencies first: c, a, side, main
        assertThat(joined.indexOf("// app/sub/c.js")).isLessThan(joined.indexOf("// app/a.js"));
        assertThat(joined.indexOf("// app/a.js")).isLessThan(joined.indexOf("// app/side.js"));
        assertThat(joined.indexOf("// app/side.js")).isLessThan(joined.indexOf("// app/main.js"));
        assertThat(joined).doesNotContain("unreachable").doesNotContain("export ");
        assertThat(joined).contains("return { a, b, unused, K };")
                .contains("const { a, b: bee } = __tarn_m1;")
                .contains("const { default: htm } = __tarn_lib1;")
                .contains("const { h } = __tarn_lib0;");
    }

    @Test
    void formsItCannotJoinAreRefusedNamingTheFile() {
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "export let x = 1;\n"), "app/main.js", LIBS))
                .isInstanceOf(IOException.class).hasMessageContaining("app/main.js").hasMessageContaining("export let x");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "export default 1;\n"), "app/main.js", LIBS))
                .hasMessageContaining("export default");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "import { x } from \"./a.js\";\n"), "app/main.js", LIBS))
                .hasMessageContaining("cannot join");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "import { x } from 'lodash';\n"), "app/main.js", LIBS))
                .hasMessageContaining("'lodash'").hasMessageContaining("importmap.json");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "import { x } from './missing.js';\n"), "app/main.js", LIBS))
                .hasMessageContaining("missing module: app/missing.js");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "import { y } from './a.js';\n",
                "app/a.js", "export const x = 1;\n"), "app/main.js", LIBS))
                .hasMessageContaining("imports y, which app/a.js does not export");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "import { x } from './a.js';\n",
                "app/a.js", "import { y } from './b.js';\nexport const x = 1;\n",
                "app/b.js", "import { x } from './a.js';\nexport const y = 2;\n"), "app/main.js", LIBS))
                .hasMessageContaining("cycle: app/a.js -> app/b.js -> app/a.js");
        assertThatThrownBy(() -> ModuleLinker.link(Map.of("app/main.js", "import { x } from '../../x.js';\n"), "app/main.js", LIBS))
                .hasMessageContaining("outside");
    }

    @Test
    void theUisOwnModulesJoin() throws IOException {
        // the real files: a form the linker does not take fails here, not at a server's start
        java.nio.file.Path app = java.nio.file.Path.of("src/main/resources/ui/app");
        Map<String, String> sources = new java.util.HashMap<>();
        try (var files = java.nio.file.Files.list(app)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                sources.put("app/" + f.getFileName(), java.nio.file.Files.readString(f));
            }
        }
        String joined = ModuleLinker.link(sources, "app/main.js", Set.of("preact", "preact/hooks", "htm"));
        for (String name : sources.keySet()) {
            assertThat(joined).as("every module is reachable from main.js").contains("// " + name + "\n");
        }
    }
}
