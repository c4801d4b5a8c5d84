package dev.flotilla.apiserver.authz;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.status.ApiError;
import io.netty.handler.codec.http.HttpHeaders;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code Impersonate-User}, {@code -Group}, {@code -Uid} and {@code -Extra-<key>} headers (kubectl
 * {@code --as}, {@code --as-group}, {@code --as-uid}), as upstream's impersonation filter: the caller
 * needs the {@code impersonate} verb on each thing asked for (users, or serviceaccounts in their
 * namespace; groups; uids and userextras/<key> in authentication.k8s.io), and the request then goes on
 * as the impersonated user. The scope of a caller's API token carries over, so impersonating cannot
 * lift it.
 */
@Singleton
public class Impersonation {

    static final String USER = "Impersonate-User";
    static final String GROUP = "Impersonate-Group";
    static final String UID = "Impersonate-Uid";
    static final String EXTRA_PREFIX = "impersonate-extra-";
    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private final RequestAuthorizer authorizer;

    public Impersonation(RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The user a request acts as: the caller, or whom its headers impersonate if the caller may. */
    public UserInfo actingUser(UserInfo caller, HttpHeaders headers) {
        String user = headers.get(USER, "");
        List<String> groups = headers.getAll(GROUP);
        String uid = headers.get(UID, "");
        Map<String, List<String>> extra = extras(headers);
        if (user.isEmpty()) {
            if (!groups.isEmpty() || !uid.isEmpty() || !extra.isEmpty()) {
                throw ApiError.internal("requested impersonation of groups, uid or extra without impersonating a user");
            }
            return caller;
        }
        List<String> actingGroups = new ArrayList<>();
        String[] serviceAccount = serviceAccount(user);
        if (serviceAccount != null) {
            check(caller, "", "serviceaccounts", "", serviceAccount[0], serviceAccount[1]);
            if (groups.isEmpty()) {
                actingGroups.add("system:serviceaccounts");
                actingGroups.add("system:serviceaccounts:" + serviceAccount[0]);
            }
        } else {
            check(caller, "", "users", "", "", user);
        }
        for (String group : groups) {
            check(caller, "", "groups", "", "", group);
            actingGroups.add(group);
        }
        if (!uid.isEmpty()) {
            check(caller, AUTHENTICATION, "uids", "", "", uid);
        }
        extra.forEach((key, values) -> values.forEach(value -> check(caller, AUTHENTICATION, "userextras", key, "",
                value)));
        if (user.equals(UserInfo.ANONYMOUS_USER)) {
            addOnce(actingGroups, UserInfo.UNAUTHENTICATED_GROUP);
        } else {
            addOnce(actingGroups, UserInfo.AUTHENTICATED_GROUP);
        }
        Map<String, List<String>> actingExtra = new LinkedHashMap<>(extra);
        caller.extra().forEach((key, values) -> {
            if (key.startsWith("tokens.flotilla.dev/")) {
                actingExtra.put(key, values);
            }
        });
        return new UserInfo(user, uid, actingGroups, actingExtra);
    }

    private void check(UserInfo caller, String group, String resource, String subresource, String namespace,
            String name) {
        authorizer.authorize(AccessRequest.resource(caller, "impersonate", group, resource, subresource, namespace,
                name), name);
    }

    private static Map<String, List<String>> extras(HttpHeaders headers) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(EXTRA_PREFIX) && name.length() > EXTRA_PREFIX.length()) {
                String key = URLDecoder.decode(name.substring(EXTRA_PREFIX.length()), StandardCharsets.UTF_8);
                extra.computeIfAbsent(key, k -> new ArrayList<>()).add(header.getValue());
            }
        }
        return extra;
    }

    /** Namespace and name of a service account user name, or null. */
    private static String[] serviceAccount(String user) {
        if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return null;
        }
        String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts : null;
    }

    private static void addOnce(List<String> groups, String group) {
        if (!groups.contains(group)) {
            groups.add(group);
        }
    }
}
