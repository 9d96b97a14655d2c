package dev.orchat.config;

import java.util.Map;
import java.util.function.Function;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * {@code ${NAME}} / {@code ${NAME:-default}} substitution for config.yml: the process environment first,
 * then {@code .env}. Defaults may nest ({@code ${A:-${B:-x}}}), which is how legacy variable names are chained.
 * As in a shell's {@code :-}, an empty value counts as unset, so {@code KEY=} in {@code .env} falls back to the
 * default. A reference without a default to an unset variable stays in the text and fails validation, so the
 * shipped config.yml gives every reference a default.
 */
public final class EnvSubstitutor extends StringSubstitutor {

    public EnvSubstitutor(DotEnv dotEnv) {
        this(System::getenv, dotEnv);
    }

    public EnvSubstitutor(Function<String, String> environment, DotEnv dotEnv) {
        super(lookup(environment, dotEnv));
        setEnableSubstitutionInVariables(true);
        setValueDelimiter(":-");
        setEnableUndefinedVariableException(false);
    }

    private static StringLookup lookup(Function<String, String> environment, DotEnv dotEnv) {
        return key -> {
            String value = environment.apply(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
            return dotEnv.get(key).filter(v -> !v.isEmpty()).orElse(null);
        };
    }


    static EnvSubstitutor of(Map<String, String> env) {
        return new EnvSubstitutor(env::get, DotEnv.empty());
    }
}
