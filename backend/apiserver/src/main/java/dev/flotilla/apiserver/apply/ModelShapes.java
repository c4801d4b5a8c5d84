package dev.flotilla.apiserver.apply;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.flotilla.api.apply.FieldShape;
import dev.flotilla.api.apply.ObjectShapes;
import dev.flotilla.api.patch.MergeKeys;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.model.ModelClasses;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shapes of the built-in kinds, read from their fabric8 model classes with Jackson's introspection:
 * structs are granular, {@code Map} properties are keyed maps, lists strategic merge patch merges by
 * key ({@link MergeKeys}) are associative lists on that key, string lists it merges as sets are
 * sets, and every other list is atomic. Label selectors are atomic, as upstream marks them.
 */
@Singleton
public class ModelShapes implements ObjectShapes {

    private static final Set<String> ATOMIC_STRUCTS = Set.of("LabelSelector");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Class<?>, Map<String, JavaType>> properties = new ConcurrentHashMap<>();

    @Override
    public FieldShape of(ResourceType type) {
        return ModelClasses.find(type.group(), type.version(), type.kind())
                .<FieldShape>map(StructShape::new)
                .orElse(FieldShape.UNKNOWN);
    }

    private Map<String, JavaType> propertiesOf(Class<?> type) {
        return properties.computeIfAbsent(type, t -> {
            BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(t));
            Map<String, JavaType> found = new HashMap<>();
            for (BeanPropertyDefinition property : bean.findProperties()) {
                if (property.couldSerialize()) {
                    found.put(property.getName(), property.getPrimaryType());
                }
            }
            return found;
        });
    }

    private FieldShape shapeOf(Class<?> owner, String field, JavaType type) {
        if (type == null) {
            return FieldShape.UNKNOWN;
        }
        if (type.isMapLikeType()) {
            return new KeyedMapShape(shapeOf(null, null, type.getContentType()));
        }
        if (type.isCollectionLikeType()) {
            FieldShape items = shapeOf(null, null, type.getContentType());
            if (owner != null) {
                var key = MergeKeys.forType(owner.getSimpleName(), field);
                if (key.isPresent()) {
                    return new ListShape(FieldShape.ListType.MAP, List.of(key.get()), items);
                }
                if (MergeKeys.isPrimitiveSet(field) && type.getContentType().getRawClass() == String.class) {
                    return new ListShape(FieldShape.ListType.SET, List.of(), items);
                }
            }
            return new ListShape(FieldShape.ListType.ATOMIC, List.of(), items);
        }
        Class<?> raw = type.getRawClass();
        if (raw.getPackageName().startsWith(ModelClasses.BASE_PACKAGE) && !raw.isEnum() && !raw.isInterface()) {
            return new StructShape(raw);
        }
        return FieldShape.UNKNOWN;
    }

    private final class StructShape implements FieldShape {
        private final Class<?> type;

        StructShape(Class<?> type) {
            this.type = type;
        }

        @Override
        public FieldShape field(String name) {
            return shapeOf(type, name, propertiesOf(type).get(name));
        }

        @Override
        public boolean atomic() {
            return ATOMIC_STRUCTS.contains(type.getSimpleName());
        }
    }

    private record KeyedMapShape(FieldShape values) implements FieldShape {
        @Override
        public FieldShape field(String name) {
            return values;
        }

        @Override
        public boolean keyedMap() {
            return true;
        }
    }

    private record ListShape(ListType listType, List<String> listKeys, FieldShape items) implements FieldShape {
    }
}
