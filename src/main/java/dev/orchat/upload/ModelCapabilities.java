package dev.orchat.upload;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model accepts as input ({@code input_modalities} such as {@code text}, {@code image}, {@code file}),
 * when known (docs/api.md §2.21). The catalogue answers when it is loaded; configuration fills in otherwise.
 */
public interface ModelCapabilities {
    Optional<List<String>> inputModalities(String modelId);

    /** The first source that knows the model wins. */
    default ModelCapabilities orElse(ModelCapabilities fallback) {
        return model -> {
            Optional<List<String>> known = inputModalities(model);
            return known.isPresent() ? known : fallback.inputModalities(model);
        };
    }

    static ModelCapabilities of(Map<String, List<String>> configured) {
        return model -> Optional.ofNullable(configured.get(model));
    }
}
