import { describe, expect, it } from 'vitest';
import { acceptedType, checkFiles, MAX_ATTACHMENTS } from './files';

const f = (name: string, type = '', size = 10) => ({ name, type, size });

describe('composer file checks', () => {
  it('accepts the listed types by MIME type or extension', () => {
    expect(acceptedType('a.png', 'image/png')).toBe('image/png');
    expect(acceptedType('notes.MD', '')).toBe('text/markdown');
    expect(acceptedType('x.exe', 'application/octet-stream')).toBeNull();
  });

  it('rejects unsupported, empty and the eleventh file with a reason', () => {
    const r = checkFiles([f('a.png'), f('b.exe'), f('c.txt', 'text/plain', 0)], 0);
    expect(r.accepted.map((x) => x.name)).toEqual(['a.png']);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      expect.stringContaining('unsupported type'),
      expect.stringContaining('empty'),
    ]);
    const many = checkFiles([f('1.png'), f('2.png')], MAX_ATTACHMENTS - 1);
    expect(many.accepted).toHaveLength(1);
    expect(many.rejected[0]?.reason).toContain('at most 10');
  });
});
