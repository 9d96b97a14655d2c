/** Shapes of the service's JSON (docs/api.md §2, docs/api.md §3.1). Unknown fields are tolerated everywhere. */

export type MessageStatus = 'complete' | 'cancelled' | 'failed';

export interface SessionSummary {
  id: string;
  title: string | null;
  title_source?: string;
  created_at: string;
  updated_at: string;
  message_count: number;
  last_model: string | null;
  total_cost: number | null;
  active_turn_id: string | null;
}

export interface SessionPage {
  sessions: SessionSummary[];
  next_cursor: string | null;
}

export interface AttachmentRef {
  id: string;
  filename: string;
  mimeType: string;
  sizeBytes: number | null;
  displayUrl: string | null;
  available: boolean;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ContentPart {
  type: string;
  text?: string;
  attachment_id?: string;
  [key: string]: unknown;
}

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  cost?: number;
  [key: string]: unknown;
}

/**
 * One readable reasoning segment as the server stores and sends it (`reasoning` of a stored assistant message and
 * of the `metadata` event, docs/api.md): `type` is the upstream's detail type (`reasoning.text`,
 * `reasoning.summary`) or `reasoning` for plain deltas.
 */
export interface ReasoningSegment {
  type: string;
  text: string;
}

export interface MessageView {
  id: number;
  role: 'system' | 'user' | 'assistant' | 'tool';
  position: number;
  turn_id: string | null;
  status: MessageStatus;
  created_at: string;
  client_message_id?: string;
  parent_client_message_id?: string;
  content: string | ContentPart[] | null;
  attachments?: AttachmentRef[];
  tool_calls?: ToolCall[];
  model?: string;
  finish_reason?: string;
  generation_id?: string;
  usage?: Usage;
  cost?: number | null;
  reasoning?: ReasoningSegment[] | null;
  tool_call_id?: string;
  tool_name?: string;
  is_error?: boolean;
  synthetic?: boolean;
  /** The person's decision about this call (docs/api.md §3.7), when there was one. */
  approval?: { decision: 'allow' | 'deny' | 'timeout'; source: string; remember?: string };
}

/** `running_turn` of a session (docs/api.md §3.6): where a reloaded page attaches to the answer still being written. */
export interface RunningTurn {
  turn_id: string;
  last_event_id: number;
  status: string;
}

export interface SessionDetail {
  session: SessionSummary;
  messages: MessageView[];
  has_more: boolean;
  /** Absent on services older than issue 12. */
  running_turn?: RunningTurn | null;
}

export interface CancelResult {
  session_id: string;
  turn_id: string | null;
  cancelled: boolean;
}

export interface Health {
  status: string;
  default_model: string;
  active_model: string;
  version: string;
}

/** The chat request of docs/api.md §2.2 as the UI sends it (frontend/README.md). */
export interface ChatRequest {
  model?: string;
  session_id?: string;
  messages: { role: 'user' | 'system'; content: string | ContentPart[]; client_message_id?: string }[];
  metadata?: { client_assistant_message_id?: string; client_parent_message_id?: string };
  plugins?: unknown[];
  web_search_options?: Record<string, unknown>;
  [key: string]: unknown;
}

// ---- SSE events: mirror of the server's sealed ChatStreamEvent (docs/api.md §3); both test suites read the
// byte fixtures in src/test/resources/fixtures/events/ ----

export interface SessionEventData {
  session_id: string;
  turn_id: string;
  new_session: boolean;
  user_messages: { message_id: number; client_message_id: string | null }[];
}

export interface ChunkDelta {
  role?: string;
  content?: string | null;
  reasoning?: string | null;
  tool_calls?: { index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
}

export interface UpstreamChunk {
  id?: string;
  model?: string;
  choices?: { index: number; delta?: ChunkDelta; finish_reason?: string | null }[];
  usage?: Usage;
  [key: string]: unknown;
}

export interface HopMetadata {
  role: 'assistant';
  turn_id: string;
  hop: number;
  status: MessageStatus;
  finish_reason: string | null;
  model: string | null;
  provider: string | null;
  usage: Usage | null;
  cost: number | null;
  turn_cost: number | null;
  generation_id: string | null;
  reasoning: ReasoningSegment[] | null;
  tool_calls: ToolCall[] | null;
  client_message_id?: string | null;
  message_id: number | null;
  created_at: string;
  [key: string]: unknown;
}

export type ToolEventData =
  | { status: 'started'; name: string; call_id: string; hop: number }
  | {
      status: 'finished' | 'error';
      name: string;
      call_id: string;
      hop: number;
      result: string;
      message_id: number | null;
      duration_ms: number;
      created_at: string;
    }
  | { status: 'notice'; name: 'system'; message: string }
  | { status: 'error'; name: 'system'; message: string; call_id?: undefined };

/** `approval` (docs/api.md §3.7): a call waits for the person's decision. */
export interface ApprovalEventData {
  call_id: string;
  tool: string;
  server: string | null;
  arguments: unknown;
  reason: string;
}

/** A property of an elicitation's flat form schema (MCP form mode). */
export interface ElicitationProperty {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  title?: string;
  description?: string;
  format?: string;
  enum?: string[];
  enumNames?: string[];
  oneOf?: { const: string; title?: string }[];
  items?: { enum?: string[]; anyOf?: { const: string; title?: string }[] };
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface ElicitationSchema {
  type?: 'object';
  properties: Record<string, ElicitationProperty>;
  required?: string[];
}

/** `elicitation` (docs/api.md §3.7): a server asks for input during a call; form mode or URL mode. */
export interface ElicitationEventData {
  elicitation_id: string;
  call_id: string;
  server: string;
  message: string;
  requested_schema?: ElicitationSchema;
  url?: string;
}

export interface StreamErrorData {
  detail: string;
  status: number;
  retryable: boolean;
}

export type ChatEvent =
  | { type: 'session'; id: string; data: SessionEventData }
  | { type: 'chunk'; id: string; data: UpstreamChunk }
  | { type: 'done'; id: string }
  | { type: 'metadata'; id: string; data: HopMetadata }
  | { type: 'tool'; id: string; data: ToolEventData }
  | { type: 'error'; id: string; data: StreamErrorData }
  | { type: 'snapshot'; id: string; data: TurnSnapshot }
  | { type: 'approval'; id: string; data: ApprovalEventData }
  | { type: 'elicitation'; id: string; data: ElicitationEventData }
  | { type: 'unknown'; id: string; name: string; data: string };

/**
 * The `snapshot` event (docs/api.md §3.6): a resumed stream starts with it when the events the client asked for are
 * no longer kept; `last_event_id` is the last event it covers and the live events follow it.
 */
export interface TurnSnapshot {
  session_id: string;
  turn_id: string;
  last_event_id: number;
  hops: {
    hop: number;
    status: MessageStatus;
    model?: string | null;
    provider?: string | null;
    generation_id?: string | null;
    finish_reason?: string | null;
    cost?: number | null;
    content: string | null;
    reasoning: ReasoningSegment[] | null;
    tool_calls: ToolCall[];
    message_id: number | null;
  }[];
  current: { hop: number; content: string; reasoning: string };
  notices?: { status: 'notice' | 'error'; message: string }[];
  tools: { call_id: string; name: string; hop?: number; status: 'started' | 'finished' | 'error' | 'awaiting_approval'; result?: string; message_id?: number }[];
  usage: { prompt_tokens: number; completion_tokens: number; cost: number | null };
  error: { detail: string; status: number } | null;
  /** Cards still open (docs/api.md §3.7); absent when nothing waits for the person. */
  pending?: ({ event: 'approval'; data: ApprovalEventData } | { event: 'elicitation'; data: ElicitationEventData })[];
}
