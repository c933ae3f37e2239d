package io.tarn.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** "--name value" command line options. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    Path path(String name) {
        return Path.of(get(name));
    }

    int integer(String name, int dflt) {
        return Integer.parseInt(get(name, Integer.toString(dflt)));
    }
}
