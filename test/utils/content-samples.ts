/**
 * Free-form metadata using everything JSON allows (nesting, arrays of arrays, null, booleans,
 * integers and decimals, unicode keys, a `$` and a date-like text as values), which must come
 * back unchanged: through the validation pipe (unit test) and through MongoDB (e2e).
 */
export const FREE_FORM_METADATA = {
  readingTime: 7,
  ratio: 0.25,
  draft: false,
  nothing: null,
  seo: { keywords: ['mongodb', 'schema'], canonical: 'https://example.com/a' },
  blocks: [{ kind: 'quote', text: '$100 is a value, not an operator' }, [1, [2, [3]]]],
  'clé unicode 🎉': 'ok',
  when: '2026-11-21T10:00:00.000Z',
};
