import { MAX_METADATA_BYTES, MAX_METADATA_DEPTH, metadataProblem } from './content-metadata';

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < depth; level++) value = { child: value };
  return value;
}

describe('metadataProblem', () => {
  it('accepts free-form JSON: nested objects, arrays, numbers, null, unicode, $ in values', () => {
    expect(
      metadataProblem({
        readingTime: 7,
        seo: { keywords: ['mongodb', 'schema'], canonical: null },
        blocks: [{ kind: 'quote', text: '$100 is not an operator when it is a value' }],
        'emoji 🎉': true,
        'key-with_dash and space': 'ok',
      }),
    ).toBeUndefined();
  });

  it.each([
    [{ $gt: '' }, 'metadata key "$gt" at metadata may not start with "$"'],
    [
      { a: { b: { $where: 'sleep(1000)' } } },
      'metadata key "$where" at metadata.a.b may not start with "$"',
    ],
    [
      { list: [{ ok: 1 }, { $set: {} }] },
      'metadata key "$set" at metadata.list[1] may not start with "$"',
    ],
    [{ 'a.b': 1 }, 'metadata key "a.b" at metadata may not contain "."'],
    [{ deep: [[{ 'x.y': 1 }]] }, 'metadata key "x.y" at metadata.deep[0][0] may not contain "."'],
    [
      { 'nul\u0000key': 1 },
      'metadata key "nul\\u0000key" at metadata may not contain a NUL character',
    ],
  ])('rejects %j', (metadata, message) => {
    expect(metadataProblem(metadata)).toBe(message);
  });

  it(`accepts ${MAX_METADATA_DEPTH} levels of nesting and rejects one more`, () => {
    expect(metadataProblem(nested(MAX_METADATA_DEPTH))).toBeUndefined();
    expect(metadataProblem(nested(MAX_METADATA_DEPTH + 1))).toBe(
      `metadata may not be nested more than ${MAX_METADATA_DEPTH} levels deep`,
    );
  });

  it('counts arrays as levels too, without recursing (no stack overflow on deep input)', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(metadataProblem({ deep })).toMatch(/nested more than/);
  });

  it('accepts exactly 16 KB serialised and rejects one byte more', () => {
    const overhead = JSON.stringify({ text: '' }).length;
    const exact = { text: 'x'.repeat(MAX_METADATA_BYTES - overhead) };
    expect(metadataProblem(exact)).toBeUndefined();
    expect(metadataProblem({ text: 'x'.repeat(MAX_METADATA_BYTES - overhead + 1) })).toBe(
      `metadata must be at most ${MAX_METADATA_BYTES} bytes (16 KB) once serialised as JSON, got ${MAX_METADATA_BYTES + 1}`,
    );
  });

  it('measures the size in UTF-8 bytes, not characters', () => {
    const overhead = JSON.stringify({ text: '' }).length;
    // "é" is two bytes: half as many characters already fill the limit.
    const characters = Math.ceil((MAX_METADATA_BYTES - overhead) / 2) + 1;
    expect(metadataProblem({ text: 'é'.repeat(characters) })).toMatch(/at most 16384 bytes/);
  });

  it('names the property it is given', () => {
    expect(metadataProblem({ $x: 1 }, '[2].metadata')).toBe(
      '[2].metadata key "$x" at [2].metadata may not start with "$"',
    );
  });
});
