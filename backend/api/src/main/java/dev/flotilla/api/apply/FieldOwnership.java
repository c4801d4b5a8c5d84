package dev.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Who owns which fields after a write, as upstream's field manager decides it. An update takes the
 * fields it changed from everyone else; an apply owns exactly what it applied, fails on fields another
 * manager owns with a different value unless forced, and removes fields it applied before and no
 * longer applies when nobody else owns them.
 *
 * @param shape   the shape of the kind's objects
 * @param tracked which paths are recorded at all (not apiVersion, kind, system metadata, nor the part
 *                of the object another endpoint writes)
 */
public record FieldOwnership(FieldShape shape, Predicate<List<String>> tracked) {

    /** The result of an apply: the merged object and the new managedFields. */
    public record Applied(JsonNode object, List<ManagedFieldsEntry> entries) {
    }

    public FieldSet fieldsOf(JsonNode object) {
        return ObjectFields.of(object, shape).filter(tracked);
    }

    /** The managedFields after {@code manager} changed {@code before} into {@code after} with a non-apply write. */
    public List<ManagedFieldsEntry> update(List<ManagedFieldsEntry> entries, JsonNode before, JsonNode after,
            String manager, String apiVersion, String subresource, String now) {
        FieldSet beforeSet = fieldsOf(before);
        FieldSet afterSet = fieldsOf(after);
        FieldSet changed = ObjectFields.changed(before, beforeSet, after, afterSet);
        FieldSet removed = ObjectFields.removed(beforeSet, afterSet);
        FieldSet lost = changed.union(removed);
        List<ManagedFieldsEntry> result = new ArrayList<>();
        ManagedFieldsEntry own = null;
        for (ManagedFieldsEntry entry : entries) {
            if (entry.sameOwner(manager, ManagedFieldsEntry.UPDATE, apiVersion, subresource)) {
                own = entry;
                result.add(entry);
            } else {
                keepIfOwning(result, entry.withFields(entry.fields().minus(lost)));
            }
        }
        if (changed.isEmpty()) {
            if (own != null) {
                replace(result, own, own.withFields(own.fields().minus(removed)));
            }
            return result;
        }
        FieldSet owned = (own == null ? changed : own.fields().minus(removed).union(changed));
        ManagedFieldsEntry updated = new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE, apiVersion, now,
                subresource, owned);
        if (own == null) {
            result.add(updated);
        } else {
            replace(result, own, updated);
        }
        return result;
    }

    /**
     * Applies {@code applied} over {@code live} (an empty object when creating) for {@code manager}.
     *
     * @throws dev.flotilla.api.status.ApiError 409 naming every conflicting field unless {@code force}
     */
    public Applied apply(List<ManagedFieldsEntry> entries, JsonNode live, JsonNode applied, String manager,
            String apiVersion, String subresource, boolean force, String now) {
        FieldSet appliedSet = fieldsOf(applied);
        JsonNode merged = ApplyMerge.merge(live.deepCopy(), applied, shape);
        FieldSet changed = ObjectFields.changed(live, fieldsOf(live), merged, fieldsOf(merged))
                .intersect(appliedSet);
        ManagedFieldsEntry own = null;
        List<ApplyConflict> conflicts = new ArrayList<>();
        for (ManagedFieldsEntry entry : entries) {
            if (entry.sameOwner(manager, ManagedFieldsEntry.APPLY, apiVersion, subresource)) {
                own = entry;
                continue;
            }
            entry.fields().intersect(changed).members().forEach(path -> conflicts.add(new ApplyConflict(entry, path)));
        }
        if (!conflicts.isEmpty() && !force) {
            throw ApplyConflict.error(conflicts);
        }
        List<ManagedFieldsEntry> result = new ArrayList<>();
        FieldSet othersOwn = new FieldSet();
        for (ManagedFieldsEntry entry : entries) {
            if (entry != own) {
                ManagedFieldsEntry kept = entry.withFields(entry.fields().minus(changed));
                keepIfOwning(result, kept);
                othersOwn = othersOwn.union(kept.fields());
            }
        }
        if (own != null) {
            FieldSet others = othersOwn;
            for (List<String> path : own.fields().minus(appliedSet).members()) {
                if (!others.hasAnyAtOrUnder(path) && !appliedSet.hasAnyAtOrUnder(path)) {
                    ApplyMerge.remove(merged, path);
                }
            }
        }
        ManagedFieldsEntry applier = new ManagedFieldsEntry(manager, ManagedFieldsEntry.APPLY, apiVersion, now,
                subresource, appliedSet);
        if (own != null) {
            result.add(Math.min(entries.indexOf(own), result.size()), applier);
        } else {
            result.add(0, applier);
        }
        return new Applied(merged, result);
    }

    private static void keepIfOwning(List<ManagedFieldsEntry> result, ManagedFieldsEntry entry) {
        if (!entry.fields().isEmpty()) {
            result.add(entry);
        }
    }

    private static void replace(List<ManagedFieldsEntry> entries, ManagedFieldsEntry old, ManagedFieldsEntry updated) {
        int index = entries.indexOf(old);
        if (updated.fields().isEmpty()) {
            entries.remove(index);
        } else {
            entries.set(index, updated);
        }
    }
}
