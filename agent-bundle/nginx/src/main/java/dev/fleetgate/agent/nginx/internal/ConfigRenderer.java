package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheResolver;

/**
 * Renders a {@link ConfigModel} into the files of one configuration generation: {@code nginx.conf} (mustache
 * template in this bundle), {@code lua/fleetgate.lua}, and the model's own files. Values are written as they are
 * (no HTML escaping): {@link SafeValues} has refused everything that could break out of its place.
 */
public final class ConfigRenderer {

    static final String TEMPLATE = "nginx.conf.mustache";
    static final String LUA = "lua/fleetgate.lua";

    private final Mustache template;
    private final byte[] lua;

    public ConfigRenderer() {
        MustacheResolver resolver = name -> {
            InputStream in = ConfigRenderer.class.getResourceAsStream(name);
            return in == null ? null : new InputStreamReader(in, StandardCharsets.UTF_8);
        };
        DefaultMustacheFactory factory = new DefaultMustacheFactory(resolver) {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        this.template = factory.compile(TEMPLATE);
        try (InputStream in = ConfigRenderer.class.getResourceAsStream(LUA)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + LUA);
            }
            this.lua = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String renderConf(ConfigModel model) {
        StringWriter out = new StringWriter(8192);
        template.execute(out, model);
        return out.toString();
    }

    /** @return every file of the generation, by path relative to its directory */
    public Map<String, byte[]> render(ConfigModel model) {
        Map<String, byte[]> files = new TreeMap<>(model.files());
        files.put("nginx.conf", renderConf(model).getBytes(StandardCharsets.UTF_8));
        files.put(LUA, lua.clone());
        return files;
    }
}
