/** Speech settings (frontend/README.md), kept in localStorage `speech.settings.v1`, and the Deepgram request they imply. */
export interface SpeechSettings {
  model: string;
  interimResults: boolean;
  vadEvents: boolean;
  utteranceEndMs: number;
  endpointingMs: number;
  smartFormat: boolean;
  punctuate: boolean;
  numerals: boolean;
  fillerWords: boolean;
  profanityFilter: boolean;
  autoSubmit: boolean;
  autoSubmitDelayMs: number;
}

export const STORAGE_KEY = 'speech.settings.v1';
export const DEEPGRAM_LISTEN = 'wss://api.deepgram.com/v1/listen';

export const DEFAULT_SPEECH: SpeechSettings = {
  model: 'nova-3',
  interimResults: true,
  vadEvents: true,
  utteranceEndMs: 1500,
  endpointingMs: 1200,
  smartFormat: true,
  punctuate: true,
  numerals: false,
  fillerWords: false,
  profanityFilter: false,
  autoSubmit: false,
  autoSubmitDelayMs: 0,
};

export const TIMING_PRESETS: Record<'fast' | 'normal' | 'slow', Pick<SpeechSettings, 'utteranceEndMs' | 'endpointingMs'>> = {
  fast: { utteranceEndMs: 1000, endpointingMs: 500 },
  normal: { utteranceEndMs: 1500, endpointingMs: 1200 },
  slow: { utteranceEndMs: 3000, endpointingMs: 2500 },
};

const clamp = (n: unknown, lo: number, hi: number, dflt: number): number =>
  typeof n === 'number' && Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : dflt;

/** Fills missing keys with defaults and clamps ranges: utterance end 500–5000, endpointing 300–5000, delay 0–20000. */
export function normalise(raw: unknown): SpeechSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof SpeechSettings, unknown>>;
  const bool = (k: keyof SpeechSettings) => (typeof r[k] === 'boolean' ? (r[k] as boolean) : (DEFAULT_SPEECH[k] as boolean));
  return {
    model: typeof r.model === 'string' && r.model.trim() ? r.model.trim() : DEFAULT_SPEECH.model,
    interimResults: bool('interimResults'),
    vadEvents: bool('vadEvents'),
    utteranceEndMs: clamp(r.utteranceEndMs, 500, 5000, DEFAULT_SPEECH.utteranceEndMs),
    endpointingMs: clamp(r.endpointingMs, 300, 5000, DEFAULT_SPEECH.endpointingMs),
    smartFormat: bool('smartFormat'),
    punctuate: bool('punctuate'),
    numerals: bool('numerals'),
    fillerWords: bool('fillerWords'),
    profanityFilter: bool('profanityFilter'),
    autoSubmit: bool('autoSubmit'),
    autoSubmitDelayMs: clamp(r.autoSubmitDelayMs, 0, 20000, DEFAULT_SPEECH.autoSubmitDelayMs),
  };
}

export function loadSpeechSettings(storage: Pick<Storage, 'getItem'> = localStorage): SpeechSettings {
  try {
    return normalise(JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return { ...DEFAULT_SPEECH };
  }
}

export function saveSpeechSettings(s: SpeechSettings, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(normalise(s)));
}

export function listenUrl(s: SpeechSettings): string {
  const q = new URLSearchParams({
    model: s.model,
    encoding: 'opus',
    interim_results: String(s.interimResults),
    vad_events: String(s.vadEvents),
    utterance_end_ms: String(s.utteranceEndMs),
    endpointing: String(s.endpointingMs),
    smart_format: String(s.smartFormat),
    punctuate: String(s.punctuate),
    numerals: String(s.numerals),
    filler_words: String(s.fillerWords),
    profanity_filter: String(s.profanityFilter),
  });
  return `${DEEPGRAM_LISTEN}?${q}`;
}

/** A JWT (three dot-separated parts) is a Bearer token; anything else is an API key (the fallback). */
export function subprotocols(token: string): string[] {
  return token.split('.').length === 3 ? ['Bearer', token] : ['token', token];
}

export const RECORDER_TYPES = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/webm'];

export function pickMimeType(isSupported: (type: string) => boolean): string | null {
  return RECORDER_TYPES.find((t) => isSupported(t)) ?? null;
}

/** Folds Deepgram messages into the dictated text: finals accumulate, the latest interim is shown after them. */
export interface Transcript {
  finals: string;
  interim: string;
}

export function applyMessage(t: Transcript, msg: unknown): { transcript: Transcript; utteranceEnd: boolean } {
  const m = msg as { type?: string; is_final?: boolean; channel?: { alternatives?: { transcript?: string }[] } };
  if (m?.type === 'UtteranceEnd') return { transcript: t, utteranceEnd: true };
  if (m?.type !== 'Results') return { transcript: t, utteranceEnd: false };
  const text = m.channel?.alternatives?.[0]?.transcript ?? '';
  if (m.is_final) {
    const finals = text ? (t.finals ? `${t.finals} ${text}` : text) : t.finals;
    return { transcript: { finals, interim: '' }, utteranceEnd: false };
  }
  return { transcript: { finals: t.finals, interim: text }, utteranceEnd: false };
}

export function transcriptText(t: Transcript): string {
  return [t.finals, t.interim].filter(Boolean).join(' ');
}
