import { query, request } from './client';

export type McpState = 'connected' | 'connecting' | 'failed' | 'disabled' | 'needs_auth';

export interface McpTool {
  name: string;
  qualified_name: string;
  enabled: boolean;
  description?: string | null;
  reason?: 'disabled' | 'name_conflict' | 'needs_write_access' | 'send_disabled' | string;
  /** Effective approval policy and its origin (docs/api.md §2.10, §3.7); absent on older services. */
  policy?: ToolPolicy;
  policy_source?: 'tool_policies' | 'default_policy' | 'builtin' | 'annotation';
}

export type ToolPolicy = 'allow' | 'ask' | 'deny';

export interface McpServerStatus {
  id: string;
  enabled: boolean;
  transport: string;
  builtin?: string | null;
  command?: string[] | null;
  url?: string | null;
  tool_prefix?: string | null;
  disabled_tools?: string[] | null;
  call_timeout_s?: number | null;
  default_policy?: ToolPolicy | null;
  tool_policies?: Record<string, ToolPolicy>;
  state: McpState;
  last_error: string | null;
  started_at: string | null;
  restarts: number;
  tool_count: number;
  tools: McpTool[];
  [key: string]: unknown;
}

export interface McpServerList {
  servers: McpServerStatus[];
  updated_at: string | null;
  allow_remote_configuration: boolean;
  imported?: string[];
  skipped?: string[];
}

export function listMcpServers(): Promise<McpServerList> {
  return request<McpServerList>('/api/mcp/servers');
}

export function patchMcpServer(id: string, patch: Record<string, unknown>): Promise<McpServerList> {
  return request<McpServerList>(`/api/mcp/servers/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

export function refreshMcpServers(): Promise<McpServerList> {
  return request<McpServerList>('/api/mcp/servers/refresh', { method: 'POST', body: {} });
}

export function importMcpServers(json: unknown, onConflict: 'fail' | 'skip' | 'replace'): Promise<McpServerList> {
  return request<McpServerList>(`/api/mcp/servers/import${query({ on_conflict: onConflict })}`, { method: 'POST', body: json });
}

/** Replaces the whole list (docs/api.md §2.10); status fields and `***` secrets may be sent back as they were received. */
export function putMcpServers(servers: Record<string, unknown>[]): Promise<McpServerList> {
  return request<McpServerList>('/api/mcp/servers', { method: 'PUT', body: { servers } });
}
