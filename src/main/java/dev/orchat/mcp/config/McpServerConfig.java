package dev.orchat.mcp.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One entry of {@code data/mcp_servers.json} (docs/configuration.md §4). Collections are never null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record McpServerConfig(
        @JsonProperty("id") String id,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("transport") String transport,
        @JsonProperty("builtin") String builtin,
        @JsonProperty("command") List<String> command,
        @JsonProperty("args") List<String> args,
        @JsonProperty("env") Map<String, String> env,
        @JsonProperty("cwd") String cwd,
        @JsonProperty("url") String url,
        @JsonProperty("headers") Map<String, String> headers,
        @JsonProperty("tool_prefix") String toolPrefix,
        @JsonProperty("disabled_tools") List<String> disabledTools,
        @JsonProperty("call_timeout_s") Integer callTimeoutSeconds,
        @JsonProperty("default_policy") String defaultPolicy,
        @JsonProperty("tool_policies") Map<String, String> toolPolicies) {

    public static final List<String> TRANSPORTS = List.of("builtin", "stdio", "streamable_http", "sse");
    public static final List<String> BUILTINS = List.of("calculator", "housekeeping", "pdf", "gmail", "gdrive", "calendar");

    public McpServerConfig {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        disabledTools = disabledTools == null ? List.of() : List.copyOf(disabledTools);
        command = command == null ? null : List.copyOf(command);
        toolPolicies = toolPolicies == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(toolPolicies));
    }

    public static McpServerConfig builtin(String id, String builtin) {
        return new McpServerConfig(id, true, "builtin", builtin, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** Same launch fields with another enablement (preset apply, docs/api.md §2.19). */
    public McpServerConfig withEnablement(boolean value, List<String> disabled) {
        return new McpServerConfig(id, value, transport, builtin, command, args, env, cwd, url, headers, toolPrefix,
                disabled, callTimeoutSeconds, defaultPolicy, toolPolicies);
    }

    public McpServerConfig withEnabled(boolean value) {
        return new McpServerConfig(id, value, transport, builtin, command, args, env, cwd, url, headers, toolPrefix,
                disabledTools, callTimeoutSeconds, defaultPolicy, toolPolicies);
    }

    /** The same server with one tool's policy set (an approval answered with {@code always}, docs/api.md §3.7). */
    public McpServerConfig withToolPolicy(String tool, String policy) {
        Map<String, String> policies = new java.util.TreeMap<>(toolPolicies);
        policies.put(tool, policy);
        return new McpServerConfig(id, enabled, transport, builtin, command, args, env, cwd, url, headers, toolPrefix,
                disabledTools, callTimeoutSeconds, defaultPolicy, policies);
    }
}
