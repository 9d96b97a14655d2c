/** Turns stored messages (GET /api/chat/session/{id}) into the entries the screen renders (frontend/README.md). */
import type { ContentPart, MessageView, ReasoningSegment } from '../api/types';
import { emptyAssistant, type AssistantEntry, type Block, type Entry, type TurnStatus, type UserEntry } from './model';

export function contentText(content: MessageView['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((p: ContentPart) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/** The readable text of stored reasoning segments (`[{type, text}]`, docs/api.md §2.5), in order. */
export function reasoningText(segments: ReasoningSegment[] | null | undefined): string {
  if (!Array.isArray(segments)) return '';
  return segments
    .map((s) => (s && typeof s.text === 'string' ? s.text : ''))
    .filter((t) => t.length > 0)
    .join('\n\n');
}

function worse(a: TurnStatus, b: TurnStatus): TurnStatus {
  const rank: Record<TurnStatus, number> = { complete: 0, streaming: 1, cancelled: 2, failed: 3 };
  return rank[b] > rank[a] ? b : a;
}

export function entriesFromMessages(messages: MessageView[]): Entry[] {
  const entries: Entry[] = [];
  let current: AssistantEntry | undefined;
  const sorted = [...messages].sort((a, b) => a.position - b.position);
  for (const m of sorted) {
    if (m.role === 'user' || m.role === 'system') {
      current = undefined;
      if (m.role === 'system') continue;
      const user: UserEntry = {
        kind: 'user',
        key: `m${m.id}`,
        messageId: m.id,
        clientMessageId: m.client_message_id,
        text: contentText(m.content),
        attachments: m.attachments ?? [],
        createdAt: m.created_at,
      };
      entries.push(user);
      continue;
    }
    if (!current || (m.turn_id && current.turnId && current.turnId !== m.turn_id)) {
      current = {
        kind: 'assistant',
        key: `t${m.turn_id ?? m.id}`,
        turnId: m.turn_id ?? undefined,
        blocks: [],
        hops: [],
        cost: null,
        status: 'complete',
        createdAt: m.created_at,
      };
      entries.push(current);
    }
    const turn: AssistantEntry = current;
    const blocks: Block[] = turn.blocks;
    if (m.role === 'assistant') {
      const reasoning = reasoningText(m.reasoning);
      if (reasoning) blocks.push({ kind: 'reasoning', text: reasoning });
      const text = contentText(m.content);
      if (text) blocks.push({ kind: 'text', text });
      for (const call of m.tool_calls ?? []) {
        blocks.push({
          kind: 'tool',
          callId: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
          state: 'pending',
        });
      }
      turn.hops.push({
        hop: turn.hops.length + 1,
        model: m.model ?? null,
        generationId: m.generation_id ?? null,
        messageId: m.id,
        cost: m.cost ?? null,
        status: m.status,
      });
      if (typeof m.cost === 'number') turn.cost = (turn.cost ?? 0) + m.cost;
      turn.model = m.model ?? turn.model;
    } else if (m.role === 'tool') {
      const tool = blocks.find((b) => b.kind === 'tool' && b.callId === m.tool_call_id);
      const result = contentText(m.content);
      const state = m.is_error ? 'error' : 'finished';
      const decision = decisionText(m.approval);
      if (tool && tool.kind === 'tool') {
        tool.state = state;
        tool.result = result;
        if (decision) tool.decision = decision;
      } else {
        blocks.push({ kind: 'tool', callId: m.tool_call_id ?? `m${m.id}`, name: m.tool_name ?? 'tool', state, result,
          ...(decision ? { decision } : {}) });
      }
    }
    turn.status = worse(turn.status, m.status);
  }
  return entries;
}

/**
 * The entries of a session whose turn `turnId` is still running. History holds only that turn's finished hops and
 * tool results, so they are dropped and an empty streaming entry takes their place: attaching from the turn's first
 * event and rebuilding the entry from the replay gives no gap and no duplicated text (docs/api.md §3.6).
 */
export function withRunningTurn(entries: Entry[], turnId: string): { entries: Entry[]; key: string } {
  const prior = entries.find((e) => e.kind === 'assistant' && e.turnId === turnId);
  const key = `t${turnId}`;
  const kept = entries.filter((e) => !(e.kind === 'assistant' && e.turnId === turnId));
  const createdAt = prior?.createdAt ?? new Date().toISOString();
  return { entries: [...kept, { ...emptyAssistant(key), turnId, createdAt }], key };
}

/** How history says the person decided about a call (docs/api.md §3.7), or undefined when nobody was asked. */
export function decisionText(approval: MessageView['approval']): string | undefined {
  if (!approval) return undefined;
  if (approval.decision === 'timeout') return 'No answer to the approval request';
  const verb = approval.decision === 'allow' ? 'Allowed' : 'Declined';
  if (approval.source === 'policy') return `${verb} by the tool's policy`;
  if (approval.source === 'session') return `${verb} for this chat`;
  if (approval.remember === 'always') return `${verb}, always`;
  return `${verb} by you`;
}
