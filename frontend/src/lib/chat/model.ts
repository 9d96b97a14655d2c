/** View model of a conversation: what the screen renders, built from history or from stream events. */
import type { ApprovalEventData, AttachmentRef, ElicitationEventData, MessageStatus, StreamErrorData } from '../api/types';

export type TurnStatus = 'streaming' | MessageStatus;

export interface ToolEntry {
  kind: 'tool';
  callId: string;
  name: string;
  arguments?: string;
  state: 'pending' | 'awaiting_approval' | 'running' | 'finished' | 'error';
  result?: string;
  durationMs?: number;
  /** While the call waits for the person's decision (docs/api.md §3.7). */
  approval?: ApprovalEventData;
  /** The server's requests for input still open. */
  elicitations?: ElicitationEventData[];
  /** The person's decision as history stores it. */
  decision?: string;
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
