package dev.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A set of field paths, stored as a tree of path elements ({@link PathElements}), and its FieldsV1
 * JSON form: each child is a key, a member with no children is {@code {}}, and a member that also has
 * children carries {@code ".": {}}. Paths are lists of elements, e.g. {@code [f:spec, f:replicas]}.
 */
public final class FieldSet {

    private boolean member;
    private final TreeMap<String, FieldSet> children = new TreeMap<>();

    public FieldSet() {
    }

    public static FieldSet of(List<List<String>> paths) {
        FieldSet set = new FieldSet();
        paths.forEach(set::insert);
        return set;
    }

    /** Reads FieldsV1 JSON; throws IllegalArgumentException when it is not well formed. */
    public static FieldSet fromJson(JsonNode json) {
        FieldSet set = new FieldSet();
        read(json, set);
        return set;
    }

    private static void read(JsonNode json, FieldSet node) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a FieldsV1 node must be an object");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(".")) {
                node.member = true;
                continue;
            }
            if (!PathElements.valid(field.getKey())) {
                throw new IllegalArgumentException("unknown path element " + field.getKey());
            }
            FieldSet child = node.child(field.getKey());
            read(field.getValue(), child);
            if (field.getValue().isEmpty()) {
                child.member = true;
            }
        }
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        if (member && !children.isEmpty()) {
            json.set(".", Json.mapper().createObjectNode());
        }
        children.forEach((element, child) -> json.set(element, child.toJson()));
        return json;
    }

    FieldSet child(String element) {
        return children.computeIfAbsent(element, e -> new FieldSet());
    }

    void markMember() {
        member = true;
    }

    public void insert(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.child(element);
        }
        node.member = true;
    }

    public boolean contains(List<String> path) {
        FieldSet node = find(path);
        return node != null && node.member;
    }

    /** Whether a member of this set is {@code path} or lies under it. */
    public boolean hasAnyAtOrUnder(List<String> path) {
        FieldSet node = find(path);
        return node != null && !node.isEmpty();
    }

    /** Whether {@code path} is a member with nothing under it. */
    public boolean isLeaf(List<String> path) {
        FieldSet node = find(path);
        return node != null && node.member && node.children.isEmpty();
    }

    private FieldSet find(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.get(element);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    public boolean isEmpty() {
        if (member) {
            return false;
        }
        for (FieldSet child : children.values()) {
            if (!child.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Every member path, parents before their children. */
    public List<List<String>> members() {
        List<List<String>> paths = new ArrayList<>();
        collect(new ArrayList<>(), paths);
        return paths;
    }

    private void collect(List<String> prefix, List<List<String>> paths) {
        children.forEach((element, child) -> {
            prefix.add(element);
            if (child.member) {
                paths.add(List.copyOf(prefix));
            }
            child.collect(prefix, paths);
            prefix.remove(prefix.size() - 1);
        });
    }

    public FieldSet union(FieldSet other) {
        FieldSet result = of(members());
        other.members().forEach(result::insert);
        return result;
    }

    public FieldSet minus(FieldSet other) {
        return filter(path -> !other.contains(path));
    }

    public FieldSet intersect(FieldSet other) {
        return filter(other::contains);
    }

    public FieldSet filter(Predicate<List<String>> keep) {
        FieldSet result = new FieldSet();
        for (List<String> path : members()) {
            if (keep.test(path)) {
                result.insert(path);
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSet set && set.members().equals(members());
    }

    @Override
    public int hashCode() {
        return members().hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
