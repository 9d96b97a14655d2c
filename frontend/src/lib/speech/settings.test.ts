import { describe, expect, it } from 'vitest';
import { applyMessage, DEFAULT_SPEECH, listenUrl, loadSpeechSettings, normalise, pickMimeType, STORAGE_KEY, subprotocols, transcriptText } from './settings';

describe('speech settings', () => {
  it('defaults and clamps stored values', () => {
    expect(normalise(null)).toEqual(DEFAULT_SPEECH);
    const s = normalise({ utteranceEndMs: 99, endpointingMs: 99999, autoSubmitDelayMs: -5, model: ' nova-2 ', punctuate: false });
    expect([s.utteranceEndMs, s.endpointingMs, s.autoSubmitDelayMs, s.model, s.punctuate]).toEqual([500, 5000, 0, 'nova-2', false]);
    const storage = { getItem: (k: string) => (k === STORAGE_KEY ? '{"interimResults":false}' : null) };
    expect(loadSpeechSettings(storage).interimResults).toBe(false);
    expect(loadSpeechSettings({ getItem: () => '{broken' })).toEqual(DEFAULT_SPEECH);
  });

  it('builds the Deepgram listen URL with opus encoding', () => {
    const url = new URL(listenUrl(DEFAULT_SPEECH));
    expect(url.origin + url.pathname).toBe('wss://api.deepgram.com/v1/listen');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      model: 'nova-3', encoding: 'opus', interim_results: 'true', utterance_end_ms: '1500', endpointing: '1200', smart_format: 'true',
    });
  });

  it('sends a JWT as Bearer and a key as token', () => {
    expect(subprotocols('aaa.bbb.ccc')).toEqual(['Bearer', 'aaa.bbb.ccc']);
    expect(subprotocols('0123456789abcdef')).toEqual(['token', '0123456789abcdef']);
  });

  it('picks the first supported recorder type', () => {
    expect(pickMimeType((t) => t.startsWith('audio/webm'))).toBe('audio/webm;codecs=opus');
    expect(pickMimeType(() => false)).toBeNull();
  });

  it('accumulates final results, shows the latest interim and reports the utterance end', () => {
    let t = { finals: '', interim: '' };
    const res = (transcript: string, is_final: boolean) => ({ type: 'Results', is_final, channel: { alternatives: [{ transcript }] } });
    t = applyMessage(t, res('hel', false)).transcript;
    expect(transcriptText(t)).toBe('hel');
    t = applyMessage(t, res('hello world', true)).transcript;
    t = applyMessage(t, res('how', false)).transcript;
    expect(transcriptText(t)).toBe('hello world how');
    expect(applyMessage(t, { type: 'UtteranceEnd' }).utteranceEnd).toBe(true);
    expect(applyMessage(t, { type: 'Metadata' }).transcript).toBe(t);
  });
});
