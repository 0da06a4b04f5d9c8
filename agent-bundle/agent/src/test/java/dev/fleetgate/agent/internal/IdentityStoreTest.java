package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class IdentityStoreTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void absentFileMeansNotEnrolled() throws IOException {
        assertNull(new IdentityStore(mapper, tmp.resolve("state")).load());
    }

    @Test
    void roundTripsWithOwnerOnlyPermissions() throws IOException {
        Path state = tmp.resolve("state");
        IdentityStore store = new IdentityStore(mapper, state);
        AgentIdentity identity = new AgentIdentity("http://core:8181", "2b9c3e0a-1", "fga_secret", "web-1", null, null);
        store.save(identity);

        assertEquals(identity, new IdentityStore(mapper, state).load());
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("agent.json"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("[agent.json]", java.util.Arrays.toString(state.toFile().list()));
    }

    @Test
    void overwriteKeepsPermissions() throws IOException {
        IdentityStore store = new IdentityStore(mapper, tmp);
        store.save(new AgentIdentity("http://a", "1", "k1", "web-1", null, null));
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
        store.save(new AgentIdentity("http://a", "2", "k2", "web-1", null, null));
        assertEquals("2", store.load().agentId());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    }

    @Test
    void incompleteFileIsAnError() throws IOException {
        Files.writeString(tmp.resolve("agent.json"), "{\"core\":\"http://a\",\"agentId\":\"1\"}");
        assertThrows(IOException.class, () -> new IdentityStore(mapper, tmp).load());
    }

    @Test
    void readsFilesWithoutNameOrWithNewerFields() throws IOException {
        Files.writeString(
                tmp.resolve("agent.json"),
                "{\"core\":\"http://a\",\"agentId\":\"1\",\"apiKey\":\"k\",\"addedLater\":true}");
        AgentIdentity identity = new IdentityStore(mapper, tmp).load();
        assertEquals("k", identity.apiKey());
        assertNull(identity.name());
    }

    @Test
    void toStringHidesTheKey() {
        assertEquals(
                -1,
                new AgentIdentity("c", "id", "fga_secret", "web-1", null, null)
                        .toString()
                        .indexOf("fga_secret"));
    }
}
