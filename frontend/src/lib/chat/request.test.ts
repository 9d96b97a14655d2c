import { describe, expect, it } from 'vitest';
import { buildChatRequest, defaultWebSearch } from './request';

describe('chat request', () => {
  it('sends plain text with client ids linking the assistant to the user message', () => {
    const req = buildChatRequest({ text: 'hello', model: 'm/x', sessionId: 's1' });
    const msg = req.messages[0]!;
    expect(msg).toMatchObject({ role: 'user', content: 'hello' });
    expect(msg.client_message_id).toMatch(/^user_[0-9a-f]+$/);
    expect(req.metadata?.client_parent_message_id).toBe(msg.client_message_id);
    expect(req.metadata?.client_assistant_message_id).toMatch(/^assistant_[0-9a-f]+$/);
    expect(req.model).toBe('m/x');
    expect(req.session_id).toBe('s1');
    expect(req.plugins).toBeUndefined();
  });

  it('uses text plus attachment parts when files are attached, and omits an absent session', () => {
    const req = buildChatRequest({ text: 'look', attachmentIds: ['a1', 'a2'] });
    expect(req.messages[0]?.content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'attachment', attachment_id: 'a1' },
      { type: 'attachment', attachment_id: 'a2' },
    ]);
    expect('session_id' in req).toBe(false);
  });

  it('adds the web plugin and search options only when web search is on', () => {
    const req = buildChatRequest({
      text: 'news',
      webSearch: { ...defaultWebSearch, enabled: true, engine: 'exa', maxResults: 40, searchPrompt: ' Sources: ' },
    });
    expect(req.plugins).toEqual([{ id: 'web', max_results: 25, engine: 'exa', search_prompt: 'Sources:' }]);
    expect(req.web_search_options).toEqual({ search_context_size: 'medium' });
  });
});
