/** View model of a conversation: what the screen renders, built from history or from stream events. */
import type { AttachmentRef, MessageStatus, StreamErrorData } from '../api/types';

export type TurnStatus = 'streaming' | MessageStatus;

export interface ToolEntry {
  kind: 'tool';
  callId: string;
  name: string;
  arguments?: string;
  state: 'pending' | 'running' | 'finished' | 'error';
  result?: string;
  durationMs?: number;
}

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | ToolEntry
  | { kind: 'notice'; message: string; error: boolean };

export interface HopInfo {
  hop: number;
  model: string | null;
  generationId: string | null;
  messageId: number | null;
  cost: number | null;
  status: MessageStatus;
}

export interface UserEntry {
  kind: 'user';
  key: string;
  messageId?: number;
  clientMessageId?: string;
  text: string;
  attachments: AttachmentRef[];
  createdAt?: string;
}

export interface AssistantEntry {
  kind: 'assistant';
  key: string;
  turnId?: string;
  blocks: Block[];
  hops: HopInfo[];
  cost: number | null;
  status: TurnStatus;
  model?: string;
  error?: StreamErrorData;
  createdAt?: string;
}

export type Entry = UserEntry | AssistantEntry;

export function emptyAssistant(key: string): AssistantEntry {
  return { kind: 'assistant', key, blocks: [], hops: [], cost: null, status: 'streaming' };
}

/** The text shown for an assistant turn (for copy). */
export function assistantText(entry: AssistantEntry): string {
  return entry.blocks
    .filter((b): b is { kind: 'text'; text: string } => b.kind === 'text')
    .map((b) => b.text)
    .join('');
}
