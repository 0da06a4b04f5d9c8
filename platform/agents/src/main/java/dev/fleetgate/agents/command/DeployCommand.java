package dev.fleetgate.agents.command;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import dev.fleetgate.agents.internal.BundleRepository;

/** {@code fleetgate:deploy}: uploads a bundle jar and deploys it to agents. */
@Service
@Command(scope = "fleetgate", name = "deploy", description = "Uploads a bundle jar and deploys it to agents")
public class DeployCommand implements Action {

    @Argument(index = 0, name = "jar", required = true, description = "Path or URL of the bundle jar")
    @Completion(FileCompleter.class)
    String jar;

    @Option(name = "--agent", multiValued = true, description = "Agent id (repeat; default: every agent)")
    List<String> agentIds;

    @Reference
    BundleRepository bundles;

    @Override
    public Object execute() throws Exception {
        BundleRepository.Upload upload;
        try (InputStream in = open(jar)) {
            upload = bundles.upload(in, "karaf-shell");
        }
        BundleRepository.Artifact a = bundles.deploy(upload.artifact().id(), agentIds);
        System.out.println((upload.created() ? "Uploaded " : "Already uploaded ") + a.symbolicName() + " " + a.version()
                + " (" + a.id() + ", sha256 " + a.sha256() + ")");
        System.out.println("Deployed to " + (a.deployedToAll() ? "every agent" : String.join(", ", a.deployedTo())));
        return null;
    }

    private static InputStream open(String location) throws Exception {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("^[a-zA-Z]:\\\\.*")) {
            return URI.create(location).toURL().openStream();
        }
        return Files.newInputStream(Path.of(location));
    }
}
