/**
 * Dictation (frontend/README.md): token from the service, microphone through MediaRecorder in 250 ms slices, Deepgram's
 * streaming socket; interim text is mirrored to the composer; on utterance end the recorder stops, an empty frame
 * closes the stream and `onfinal` gets the text (the caller auto-submits or leaves it in the composer).
 */
import { deepgramToken, openDeepgramSocket } from '../api/speech';
import { applyMessage, listenUrl, pickMimeType, subprotocols, transcriptText, type SpeechSettings, type Transcript } from './settings';

export class Dictation {
  active = $state(false);
  error = $state<string | null>(null);
  private socket: WebSocket | null = null;
  private recorder: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private transcript: Transcript = { finals: '', interim: '' };

  constructor(
    private readonly ontext: (text: string) => void,
    private readonly onfinal: (text: string) => void,
  ) {}

  async start(settings: SpeechSettings): Promise<void> {
    if (this.active) return;
    this.error = null;
    this.transcript = { finals: '', interim: '' };
    try {
      if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
        throw new Error('This browser cannot record audio.');
      }
      const mimeType = pickMimeType((t) => MediaRecorder.isTypeSupported(t));
      if (!mimeType) throw new Error('No supported audio format (Opus in Ogg or WebM) for recording.');
      const { access_token } = await deepgramToken();
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const socket = openDeepgramSocket(listenUrl(settings), subprotocols(access_token));
      this.socket = socket;
      this.active = true;
      socket.onmessage = (e) => this.onMessage(e.data);
      socket.onerror = () => (this.error = 'Speech service connection failed.');
      socket.onclose = () => this.cleanup();
      socket.onopen = () => {
        const recorder = new MediaRecorder(this.stream!, { mimeType });
        this.recorder = recorder;
        recorder.ondataavailable = (e) => {
          if (e.data.size > 0 && socket.readyState === WebSocket.OPEN) socket.send(e.data);
        };
        recorder.start(250);
      };
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.cleanup();
    }
  }

  /** Stops recording and closes the Deepgram stream with an empty frame. */
  stop(): void {
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(new Uint8Array(0));
    const text = transcriptText({ finals: this.transcript.finals, interim: this.transcript.interim });
    this.cleanup();
    if (text) this.onfinal(text);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    const r = applyMessage(this.transcript, msg);
    this.transcript = r.transcript;
    this.ontext(transcriptText(this.transcript));
    if (r.utteranceEnd) this.stop();
  }

  private cleanup(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.recorder = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState === WebSocket.OPEN) setTimeout(() => socket.close(), 500);
    this.active = false;
  }
}
