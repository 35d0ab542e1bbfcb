package io.scoregen.k8s;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds fields a model did not know. The fabric8 and Strimzi models do not fail on an unknown field: they keep it in an
 * {@code additionalProperties} map (so FAIL_ON_UNKNOWN_PROPERTIES never fires for them). A manifest is strict when
 * every such map in the whole object graph is empty.
 */
final class UnknownFields {

    private UnknownFields() {}

    /** Paths and names of the unknown fields anywhere under {@code model}, empty when there are none. */
    static List<String> in(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !isContainer(value) || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, found, seen));
            return;
        }
        for (Class<?> type = value.getClass(); type != null && isModel(type); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object child = read(field, value);
                if (field.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> found.add(path + "." + key));
                } else {
                    walk(child, path + "." + field.getName(), found, seen);
                }
            }
        }
    }

    private static boolean isContainer(Object value) {
        return value instanceof Collection<?> || value instanceof Map<?, ?> || isModel(value.getClass());
    }

    /** A model class of the fabric8, Strimzi or scoregen (KEDA) models; enums hold no fields worth a look. */
    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum()
                && (name.startsWith("io.fabric8.")
                        || name.startsWith("io.strimzi.")
                        || name.startsWith("io.scoregen."));
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }
}
