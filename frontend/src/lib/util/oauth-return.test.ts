import { describe, expect, it } from 'vitest';
import { oauthOutcome } from './oauth-return';

describe('OAuth return parameters', () => {
  it('reports success with the address and strips the parameters', () => {
    expect(oauthOutcome('http://h/c/abc?auth_success=true&email=a%40b.c&x=1#top')).toEqual({
      ok: true, message: 'Google connected as a@b.c', cleanUrl: '/c/abc?x=1#top',
    });
  });

  it('reports errors and ignores URLs without them', () => {
    expect(oauthOutcome('http://h/?auth_error=invalid_state')).toEqual({
      ok: false, message: 'Google connection failed: invalid state', cleanUrl: '/',
    });
    expect(oauthOutcome('http://h/c/abc?q=1')).toBeNull();
  });
});
