package dev.orchat.settings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.web.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects 422 field errors in the list shape of docs/api.md §1.2 ({@code loc}, {@code msg}, {@code type}). */
public final class FieldErrors {
    private final List<Object> errors = new ArrayList<>();

    public void add(List<Object> loc, String msg, String type) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("loc", List.copyOf(loc));
        error.put("msg", msg);
        error.put("type", type);
        errors.add(error);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ApiException(422, List.copyOf(errors));
        }
    }

    /** The body must be a JSON object; returns false (with the error recorded) otherwise. */
    /** The stripped text of a required string field; null (with the error recorded) when absent or not a string. */
    public String requiredText(JsonNode value, List<Object> loc) {
        if (value == null) {
            add(loc, "Field required", "missing");
            return null;
        }
        if (!value.isTextual()) {
            add(loc, "Input should be a valid string", "string_type");
            return null;
        }
        return value.asText().strip();
    }

    public boolean requireObject(JsonNode node, List<Object> loc) {
        if (node == null || !node.isObject()) {
            add(loc, "Input should be a valid dictionary", "dict_type");
            return false;
        }
        return true;
    }

    /** Every key of {@code node} must be in {@code allowed}. */
    public void rejectUnknown(JsonNode node, Set<String> allowed, List<Object> loc) {
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                add(at(loc, key), "Extra inputs are not permitted", "extra_forbidden");
            }
        });
    }

    public static List<Object> at(List<Object> loc, Object key) {
        List<Object> out = new ArrayList<>(loc);
        out.add(key);
        return out;
    }
}
