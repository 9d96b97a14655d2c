package dev.orchat.config;

import java.util.Map;
import java.util.function.Function;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * {@code ${NAME}} / {@code ${NAME:-default}} substitution for config.yml: the process environment first,
 * then {@code .env}. Defaults may nest ({@code ${A:-${B:-x}}}), which is how legacy variable names are chained.
 * An unset variable without a default becomes the empty string, which the factories treat as "unset".
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
            if (value != null) {
                return value;
            }
            return dotEnv.get(key).orElse(null);
        };
    }

    /** Substitutes in a plain string; unresolved references without default become empty. */
    public String substitute(String text) {
        String replaced = replace(text);
        return replaced == null ? null : replaced.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*}", "");
    }

    static EnvSubstitutor of(Map<String, String> env) {
        return new EnvSubstitutor(env::get, DotEnv.empty());
    }
}
