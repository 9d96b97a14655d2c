/** Builds the chat request of frontend/README.md from what the user typed and the composer's options. */
import type { ChatRequest, ContentPart } from '../api/types';
import { randomHex } from '../util/format';

export interface WebSearchOptions {
  enabled: boolean;
  engine: 'auto' | 'native' | 'exa';
  contextSize: 'low' | 'medium' | 'high';
  maxResults: number;
  searchPrompt: string;
}

export const defaultWebSearch: WebSearchOptions = {
  enabled: false,
  engine: 'auto',
  contextSize: 'medium',
  maxResults: 5,
  searchPrompt: '',
};

export interface Outgoing {
  text: string;
  attachmentIds?: string[];
  sessionId?: string | null;
  model?: string | null;
  webSearch?: WebSearchOptions;
  clientMessageId?: string;
  assistantMessageId?: string;
}

export function newClientIds(): { user: string; assistant: string } {
  return { user: `user_${randomHex()}`, assistant: `assistant_${randomHex()}` };
}

export function buildChatRequest(o: Outgoing): ChatRequest {
  const ids = newClientIds();
  const userId = o.clientMessageId ?? ids.user;
  const attachments = o.attachmentIds ?? [];
  const content: string | ContentPart[] =
    attachments.length === 0
      ? o.text
      : [
          ...(o.text ? [{ type: 'text', text: o.text }] : []),
          ...attachments.map((id) => ({ type: 'attachment', attachment_id: id })),
        ];
  const req: ChatRequest = {
    messages: [{ role: 'user', content, client_message_id: userId }],
    metadata: { client_assistant_message_id: o.assistantMessageId ?? ids.assistant, client_parent_message_id: userId },
  };
  if (o.model) req.model = o.model;
  if (o.sessionId) req.session_id = o.sessionId;
  const ws = o.webSearch;
  if (ws?.enabled) {
    const maxResults = Math.min(25, Math.max(1, Math.round(ws.maxResults || 5)));
    const plugin: Record<string, unknown> = { id: 'web', max_results: maxResults };
    if (ws.engine !== 'auto') plugin.engine = ws.engine;
    if (ws.searchPrompt.trim()) plugin.search_prompt = ws.searchPrompt.trim();
    req.plugins = [plugin];
    req.web_search_options = { search_context_size: ws.contextSize };
  }
  return req;
}
