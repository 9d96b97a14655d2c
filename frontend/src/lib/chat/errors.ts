/**
 * Words a person understands for every error the API can return (issue 18, docs/api.md §1.1): the server's `detail` is
 * kept as the explanation, the headline says what happened and what to do.
 */
export type ErrorContext = 'load' | 'send' | 'action';

export interface HumanError {
  headline: string;
  detail: string;
}

export function humanError(status: number, detail: string, context: ErrorContext = 'action'): HumanError {
  const d = detail.trim();
  if (status === 0) {
    return { headline: 'Cannot reach the orchat server.', detail: 'Check that the service is running and your network is up, then retry.' };
  }
  if (status === 401) return { headline: 'This server needs an access token.', detail: 'Enter it in the prompt, or ask whoever runs the server.' };
  if (status === 403) return { headline: 'The server refused this request.', detail: d || 'It is not allowed from this browser.' };
  if (status === 404) {
    return context === 'load'
      ? { headline: 'This conversation does not exist any more.', detail: 'It may have been deleted. Start a new chat or pick another one.' }
      : { headline: 'Not found.', detail: d || 'The item is gone; reload the page.' };
  }
  if (status === 409) return { headline: 'A reply is still being generated for this conversation.', detail: 'Stop it or wait until it ends.' };
  if (status === 413) return { headline: 'That is too large for the server.', detail: d };
  if (status === 415) return { headline: 'That file type is not accepted.', detail: d };
  if (status === 422 || status === 400) return { headline: 'The server did not accept the request.', detail: d };
  if (status === 429) return { headline: 'Too many requests right now.', detail: d || 'Wait a moment, then retry.' };
  if (status === 502 || status === 503 || status === 504) {
    return context === 'load'
      ? { headline: 'The server is busy or unavailable.', detail: d || 'Retry in a moment.' }
      : { headline: 'The model provider did not answer properly.', detail: d || 'Retry, or pick another model.' };
  }
  if (status >= 500) return { headline: 'The server had a problem.', detail: d || `Error ${status}. Retry, or look at the service log.` };
  return { headline: context === 'load' ? 'The conversation could not be loaded.' : 'Something went wrong.', detail: d };
}
