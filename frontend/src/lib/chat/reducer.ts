/**
 * Builds the assistant entry of one turn from the stream's events (docs/api.md §3.1, frontend/README.md). Pure: each call returns
 * a new entry. Tool events are paired by `call_id`, so calls may finish in any order.
 */
import type {
  ApprovalEventData,
  ChatEvent,
  ElicitationEventData,
  HopMetadata,
  ToolEventData,
  TurnSnapshot,
  UpstreamChunk,
} from '../api/types';
import { reasoningText } from './history';
import type { AssistantEntry, Block, ToolEntry } from './model';

function appendText(blocks: Block[], kind: 'text' | 'reasoning', text: string): Block[] {
  if (!text) return blocks;
  const last = blocks[blocks.length - 1];
  if (last && last.kind === kind) {
    return [...blocks.slice(0, -1), { kind, text: last.text + text }];
  }
  return [...blocks, { kind, text }];
}

function upsertTool(blocks: Block[], callId: string, patch: Partial<ToolEntry> & { name?: string }): Block[] {
  const i = blocks.findIndex((b) => b.kind === 'tool' && b.callId === callId);
  if (i < 0) {
    const entry: ToolEntry = { kind: 'tool', callId, name: patch.name ?? 'tool', state: 'pending', ...patch };
    return [...blocks, entry];
  }
  const copy = blocks.slice();
  copy[i] = { ...(blocks[i] as ToolEntry), ...patch };
  return copy;
}

function onChunk(entry: AssistantEntry, chunk: UpstreamChunk): AssistantEntry {
  let blocks = entry.blocks;
  for (const choice of chunk.choices ?? []) {
    const delta = choice.delta;
    if (!delta) continue;
    if (typeof delta.reasoning === 'string') blocks = appendText(blocks, 'reasoning', delta.reasoning);
    if (typeof delta.content === 'string') blocks = appendText(blocks, 'text', delta.content);
  }
  const model = entry.model ?? chunk.model;
  return blocks === entry.blocks && model === entry.model ? entry : { ...entry, blocks, model };
}

function onMetadata(entry: AssistantEntry, m: HopMetadata): AssistantEntry {
  let blocks = entry.blocks;
  for (const call of m.tool_calls ?? []) {
    blocks = upsertTool(blocks, call.id, { name: call.function.name, arguments: call.function.arguments });
  }
  const hops = [
    ...entry.hops.filter((h) => h.hop !== m.hop),
    {
      hop: m.hop,
      model: m.model,
      generationId: m.generation_id,
      messageId: m.message_id,
      cost: m.cost,
      status: m.status,
    },
  ];
  const status = m.status === 'complete' ? entry.status : m.status;
  return {
    ...entry,
    blocks,
    hops,
    status,
    turnId: entry.turnId ?? m.turn_id,
    model: m.model ?? entry.model,
    cost: m.turn_cost ?? entry.cost,
  };
}

function onTool(entry: AssistantEntry, t: ToolEventData): AssistantEntry {
  if (t.status === 'notice') {
    return { ...entry, blocks: [...entry.blocks, { kind: 'notice', message: t.message, error: false }] };
  }
  if (t.status === 'started') {
    return { ...entry, blocks: upsertTool(entry.blocks, t.call_id, { name: t.name, state: 'running', approval: undefined }) };
  }
  if (t.status !== 'finished' && t.status !== 'error') return entry; // future statuses (e.g. awaiting_approval)
  if (t.call_id === undefined) {
    return { ...entry, blocks: [...entry.blocks, { kind: 'notice', message: t.message, error: true }] };
  }
  return {
    ...entry,
    blocks: upsertTool(entry.blocks, t.call_id, {
      name: t.name,
      state: t.status,
      result: t.result,
      durationMs: t.duration_ms,
      approval: undefined,
      elicitations: undefined,
    }),
  };
}

function argumentsText(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

/** A call waits for the person (docs/api.md §3.7): its card shows until the call's next `tool` event. */
function onApproval(blocks: Block[], a: ApprovalEventData): Block[] {
  return upsertTool(blocks, a.call_id, { name: a.tool, state: 'awaiting_approval', approval: a, arguments: argumentsText(a.arguments) });
}

function onElicitation(blocks: Block[], e: ElicitationEventData): Block[] {
  const tool = blocks.find((b): b is ToolEntry => b.kind === 'tool' && b.callId === e.call_id);
  const open = (tool?.elicitations ?? []).filter((x) => x.elicitation_id !== e.elicitation_id);
  return upsertTool(blocks, e.call_id, { elicitations: [...open, e], ...(tool ? {} : { state: 'running' as const }) });
}

export function reduceTurn(entry: AssistantEntry, event: ChatEvent): AssistantEntry {
  switch (event.type) {
    case 'session':
      return { ...entry, turnId: event.data.turn_id };
    case 'chunk':
      return onChunk(entry, event.data);
    case 'metadata':
      return onMetadata(entry, event.data);
    case 'tool':
      return onTool(entry, event.data);
    case 'error':
      return { ...entry, status: 'failed', error: event.data };
    case 'snapshot':
      return fromSnapshot(entry, event.data);
    case 'approval':
      return { ...entry, blocks: onApproval(entry.blocks, event.data) };
    case 'elicitation':
      return { ...entry, blocks: onElicitation(entry.blocks, event.data) };
    case 'done':
      return finishTurn(entry);
    default:
      return entry;
  }
}

const RETRYABLE = [408, 429, 500, 502, 503, 504];

/**
 * Rebuilds a turn from a `snapshot` (docs/api.md §3.6): the events it stands for are gone, so it replaces what the
 * entry held. Finished hops give their reasoning, text and tool calls in order, then each tool's state and result,
 * then the hop under way; live events continue from there.
 */
export function fromSnapshot(entry: AssistantEntry, s: TurnSnapshot): AssistantEntry {
  let blocks: Block[] = [];
  for (const hop of s.hops ?? []) {
    const reasoning = reasoningText(hop.reasoning);
    if (reasoning) blocks = [...blocks, { kind: 'reasoning', text: reasoning }];
    blocks = appendText(blocks, 'text', hop.content ?? '');
    for (const call of hop.tool_calls ?? []) {
      blocks = upsertTool(blocks, call.id, { name: call.function.name, arguments: call.function.arguments });
    }
  }
  for (const t of s.tools ?? []) {
    const state = t.status === 'started' ? 'running' : t.status;
    blocks = upsertTool(blocks, t.call_id, { name: t.name, state, ...(t.result !== undefined ? { result: t.result } : {}) });
  }
  for (const p of s.pending ?? []) {
    blocks = p.event === 'approval' ? onApproval(blocks, p.data) : onElicitation(blocks, p.data);
  }
  blocks = appendText(blocks, 'reasoning', s.current?.reasoning ?? '');
  blocks = appendText(blocks, 'text', s.current?.content ?? '');
  const hops = (s.hops ?? []).map((h) => {
    const known = entry.hops.find((k) => k.hop === h.hop);
    return { hop: h.hop, model: h.model ?? known?.model ?? null,
      generationId: h.generation_id ?? known?.generationId ?? null,
      messageId: h.message_id, cost: h.cost ?? known?.cost ?? null, status: h.status };
  });
  const failed = s.error ? { ...s.error, retryable: RETRYABLE.includes(s.error.status) } : undefined;
  return {
    ...entry,
    turnId: s.turn_id,
    blocks,
    hops,
    cost: s.usage?.cost ?? entry.cost,
    status: failed ? 'failed' : 'streaming',
    ...(failed ? { error: failed } : {}),
  };
}

/** Ends a turn: a still-streaming turn becomes complete; tools left running are shown as not finished. */
export function finishTurn(entry: AssistantEntry, status?: 'cancelled' | 'failed'): AssistantEntry {
  const final = status ?? (entry.status === 'streaming' ? 'complete' : entry.status);
  const blocks = entry.blocks.map((b) =>
    b.kind === 'tool' && (b.state === 'running' || b.state === 'pending' || b.state === 'awaiting_approval') && final !== 'complete'
      ? { ...b, state: 'error' as const, result: b.result ?? 'Cancelled before completion.', approval: undefined, elicitations: undefined }
      : b,
  );
  return { ...entry, status: final, blocks };
}
