package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on as a user gets it from the launcher: {@code flotilla up} runs the real Keycloak
 * (keycloak-quarkus-dist from Maven) with the demo realm, {@code flotilla login} writes a kubeconfig
 * whose exec plugin ({@code flotilla credential}) kubectl uses. One platform for the whole class.
 */
class KeycloakLoginIT {

    private static final Path HOME = Path.of(System.getProperty("flotilla.home", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path stateDir;
    private static Map<String, String> env;
    private static String keycloakUrl;
    /** username -> password, from `flotilla demo-users`. */
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

    @BeforeAll
    static void upWithKeycloak() {
        stateDir = TempDirs.create("flotilla-e2e-keycloak-");
        env = LauncherEnvironment.isolated(stateDir);
        env.put("FLOTILLA_NODE_AGENT", "0");
        keycloakUrl = "https://127.0.0.1:" + env.get("FLOTILLA_KEYCLOAK_PORT");

        Command.Result up = flotilla("up").assertSuccess();
        assertThat(up.output()).contains("==> Starting Keycloak", "Flotilla is up", "Demo users");
        assertThat(flotilla("status").assertSuccess().output()).containsPattern("keycloak\\s+ready");

        String users = flotilla("demo-users").assertSuccess().output();
        for (String line : users.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 4 && !cols[0].equals("TENANT")) {
                PASSWORDS.put(cols[1], cols[2]);
            }
        }
        assertThat(PASSWORDS).containsOnlyKeys("admin", "acme-owner", "acme-dev", "globex-owner", "globex-dev");
        assertThat(PASSWORDS.values()).allSatisfy(p -> assertThat(p).hasSizeGreaterThanOrEqualTo(16)).doesNotHaveDuplicates();
    }

    @AfterAll
    static void tearDown() {
        if (stateDir == null) {
            return;
        }
        flotilla("down");
        if (Files.exists(stateDir.resolve(".flotilla-state"))) {
            flotilla("reset", "--yes");
        }
        TempDirs.deleteRecursively(stateDir);
    }

    @Test
    void eachDemoUserSignsInAndKubectlSeesTheirPrefixedNameAndGroups() throws Exception {
        Map<String, String> groupOf = Map.of("admin", "platform-admins", "acme-owner", "tenant:acme:owners",
                "acme-dev", "tenant:acme:developers", "globex-owner", "tenant:globex:owners",
                "globex-dev", "tenant:globex:developers");
        for (String user : PASSWORDS.keySet()) {
            Path kubeconfig = login(user);
            JsonNode whoami = kubectlJson(kubeconfig, "auth", "whoami", "-o", "json");
            assertThat(whoami.at("/status/userInfo/username").asText()).isEqualTo("oidc:" + user);
            assertThat(whoami.at("/status/userInfo/groups").toString())
                    .contains("\"oidc:" + groupOf.get(user) + "\"", "\"system:authenticated\"");
        }
    }

    @Test
    void thePlatformAdminListsNodesAndADeveloperIsForbiddenClusterWideReads() {
        assertThat(kubectl(login("admin"), "get", "nodes").assertSuccess().output()).isNotNull();
        Command.Result dev = kubectl(login("acme-dev"), "get", "nodes");
        assertThat(dev.exitCode()).isNotZero();
        assertThat(dev.output()).contains("nodes is forbidden: User \"oidc:acme-dev\" cannot list resource \"nodes\"");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutWritingAKubeconfig() {
        Path kubeconfig = stateDir.resolve("wrong.kubeconfig");
        Command.Result result = flotilla("login", "--user", "acme-dev", "--password", "not-the-password",
                "--kubeconfig", kubeconfig.toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("sign-in refused: Invalid user credentials");
        assertThat(kubeconfig).doesNotExist();
    }

    @Test
    void anExpiredIdTokenIsRefreshedByTheExecPlugin() throws Exception {
        String admin = adminToken();
        curl("-X", "PUT", "-H", "Authorization: Bearer " + admin, "-H", "Content-Type: application/json",
                "--data", "{\"accessTokenLifespan\": 15}", keycloakUrl + "/admin/realms/flotilla").assertSuccess();
        try {
            Path kubeconfig = login("globex-owner");
            Path cache = Path.of(kubeconfig.toString().replace(".kubeconfig", ".oidc.json"));
            String first = JSON.readTree(Files.readString(cache)).get("idToken").asText();
            long exp = JSON.readTree(Base64.getUrlDecoder().decode(first.split("\\.")[1])).get("exp").asLong();
            assertThat(exp - System.currentTimeMillis() / 1000).isLessThanOrEqualTo(16);
            assertThat(kubectlJson(kubeconfig, "auth", "whoami", "-o", "json").at("/status/userInfo/username").asText())
                    .isEqualTo("oidc:globex-owner");

            Await.until(Duration.ofSeconds(60), "the first ID token to expire", () -> System.currentTimeMillis() / 1000 > exp);
            assertThat(kubectlJson(kubeconfig, "auth", "whoami", "-o", "json").at("/status/userInfo/username").asText())
                    .isEqualTo("oidc:globex-owner");
            assertThat(JSON.readTree(Files.readString(cache)).get("idToken").asText()).isNotEqualTo(first);
        } finally {
            curl("-X", "PUT", "-H", "Authorization: Bearer " + admin, "-H", "Content-Type: application/json",
                    "--data", "{\"accessTokenLifespan\": 300}", keycloakUrl + "/admin/realms/flotilla").assertSuccess();
        }
    }

    @Test
    void tokensSignedWithARotatedKeyAreAccepted() throws Exception {
        Path before = login("acme-owner");
        assertThat(kubectl(before, "auth", "whoami").assertSuccess().output()).contains("oidc:acme-owner");

        String admin = adminToken();
        String realmId = JSON.readTree(curl("-H", "Authorization: Bearer " + admin, keycloakUrl + "/admin/realms/flotilla")
                .assertSuccess().output()).get("id").asText();
        String component = "{\"name\":\"rotated-" + System.nanoTime() + "\",\"providerId\":\"rsa-generated\","
                + "\"providerType\":\"org.keycloak.keys.KeyProvider\",\"parentId\":\"" + realmId + "\","
                + "\"config\":{\"priority\":[\"" + (1000 + System.currentTimeMillis() % 100000) + "\"],\"keySize\":[\"2048\"]}}";
        curl("-X", "POST", "-H", "Authorization: Bearer " + admin, "-H", "Content-Type: application/json",
                "--data", component, keycloakUrl + "/admin/realms/flotilla/components").assertSuccess();

        Path after = login("acme-owner");
        String token = JSON.readTree(Files.readString(Path.of(after.toString().replace(".kubeconfig", ".oidc.json"))))
                .get("idToken").asText();
        String kid = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).get("kid").asText();
        String activeKid = JSON.readTree(curl("-H", "Authorization: Bearer " + admin,
                keycloakUrl + "/admin/realms/flotilla/keys").assertSuccess().output()).at("/active/RS256").asText();
        assertThat(kid).isEqualTo(activeKid);
        assertThat(kubectl(after, "auth", "whoami").assertSuccess().output()).contains("oidc:acme-owner");
    }

    private static Path login(String user) {
        Path kubeconfig = stateDir.resolve("it-" + user + ".kubeconfig");
        assertThat(flotilla("login", "--user", user, "--password", PASSWORDS.get(user), "--kubeconfig",
                kubeconfig.toString()).assertSuccess().output()).contains("signed in as " + user);
        return kubeconfig;
    }

    private static String adminToken() throws IOException {
        String password = Files.readString(stateDir.resolve("keycloak/admin-password")).trim();
        return JSON.readTree(curl("--data-urlencode", "grant_type=password", "--data-urlencode", "client_id=admin-cli",
                "--data-urlencode", "username=admin", "--data-urlencode", "password=" + password,
                keycloakUrl + "/realms/master/protocol/openid-connect/token").assertSuccess().output())
                .get("access_token").asText();
    }

    private static Command.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sf", "--max-time", "30", "--cacert",
                stateDir.resolve("keycloak/tls/ca.crt").toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(40), command);
    }

    private static Command.Result kubectl(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=30s"));
        command.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), command);
    }

    private static JsonNode kubectlJson(Path kubeconfig, String... args) throws IOException {
        String out = kubectl(kubeconfig, args).assertSuccess().output();
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    private static Command.Result flotilla(String... args) {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("flotilla").toString()));
        command.addAll(List.of(args));
        // Keycloak's first start (augmentation, schema, realm import) takes minutes on a loaded machine.
        return Command.run(Duration.ofMinutes(args[0].equals("up") ? 10 : 2), HOME, env, command);
    }
}
