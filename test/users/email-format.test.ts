import fc from 'fast-check';
import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { emailFault } from '../../src/users/email-format.js';

/** What Auth0 runs: z-schema's email format. validator.js throws on half a surrogate pair: a refusal too. */
function validatorAccepts(value: string): boolean {
  try {
    return validator.isEmail(value, { require_tld: true });
  } catch {
    return false;
  }
}

const accepts = (value: string) => emailFault(value) === undefined;

describe('emailFault', () => {
  it.each(['casey@example.com', 'Casey.Jones+import@mail.example.co.uk', '"casey jones"@example.com'])(
    'accepts %s',
    (value) => {
      expect(emailFault(value)).toBeUndefined();
    },
  );

  it.each([
    ['.casey@example.com', 'the part before the "@" starts or ends with ".": remove it'],
    ['casey.@example.com', 'the part before the "@" starts or ends with ".": remove it'],
    ['casey..jones@example.com', 'the part before the "@" holds "..": remove one dot'],
    ['casey@-example.com', 'a part of the domain between dots starts or ends with "-"'],
    [
      'casey@example.c',
      'the top-level domain (after the last ".") must be 2 or more letters, or an "xn--" name',
    ],
    ['casey@exa_mple.com', 'the domain may not hold "_"'],
    ['casey@localhost', 'the domain has no top-level domain: add one, e.g. ".com"'],
    ['casey@192.168.0.1', 'an IP address is not accepted after the "@": use a domain name'],
    ['casey@[192.168.0.1]', 'an IP address is not accepted after the "@": use a domain name'],
    ['casey@example..com', 'the domain has an empty label: remove the extra "."'],
    ['casey@example.com.', 'the domain ends with ".": remove the dot'],
    ['Casey <casey@example.com>', 'write the address alone, without a name or "<" and ">" around it'],
    ['casey@exa mple.com', expect.stringContaining('the domain may hold only letters')],
    ['casey jones@example.com', expect.stringContaining('put that part in double quotes')],
    ['casey.example.com', 'it has no "@"'],
    ['@example.com', 'nothing comes before the "@"'],
    ['casey@', 'nothing comes after the "@"'],
  ])('refuses %s, saying why', (value, reason) => {
    expect(emailFault(value)).toEqual({ kind: 'format', reason });
  });

  it('counts the local part in UTF-8 bytes', () => {
    expect(emailFault(`${'é'.repeat(33)}@example.com`)).toEqual({ kind: 'local-part-too-long', bytes: 66 });
  });

  it('refuses an address over 254 characters before anything else', () => {
    expect(emailFault(`${'a'.repeat(300)}@example.com`)).toEqual({ kind: 'too-long', length: 312 });
  });

  it('refuses half a surrogate pair, on which validator.js throws', () => {
    expect(emailFault('casey\ud800@example.com')).toMatchObject({ kind: 'format' });
  });

  it('decides a long hostile address quickly', () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) emailFault(`a@${'a-'.repeat(120)}!`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

const LOCAL_PARTS = [
  'casey',
  'Casey.Jones',
  '.casey',
  'casey.',
  'casey..jones',
  'c',
  'x'.repeat(64),
  'x'.repeat(65),
  'é'.repeat(32),
  'é'.repeat(33),
  'casey+tag',
  "o'brien",
  "!#$%&'*+-/=?^_`{|}~",
  'casey jones',
  'a,b',
  'a(b)',
  'a:b',
  'a;b',
  'a<b>',
  'a[b]',
  'a\\b',
  'a@b',
  'a"b',
  '"casey jones"',
  '"casey\\"jones"',
  '"a@b"',
  '"a"b"',
  '""',
  '"',
  '"a\tb"',
  '"a\\é"',
  '"\u0000"',
  '"é"',
  'ü',
  'ユーザー',
  '😀',
  'a\u00a0b',
  'a\u2028b',
  'a\u3000b',
  'a\ufdd0b',
  'a\ufff0b',
  'a\ue000b',
  'a\tb',
  'a\u0000b',
  '\u212a',
  '\u017f',
  '',
];

const DOMAINS = [
  'example.com',
  'EXAMPLE.COM',
  'example.c',
  'example.co',
  'mail.example.co.uk',
  '-example.com',
  'example-.com',
  'ex--ample.com',
  'exa_mple.com',
  'example.co_m',
  'example..com',
  '.example.com',
  'example.com.',
  'example',
  'localhost',
  '1.2.3.4',
  '[1.2.3.4]',
  '[IPv6:2001:db8::1]',
  'example.123',
  'example.c0m',
  '123.com',
  'xn--bcher-kva.example',
  'example.xn--p1ai',
  'example.xn--',
  'example.xn',
  'münchen.de',
  'example.рф',
  'example.中国',
  'ｅｘａｍｐｌｅ.com',
  'example.ｃｏｍ',
  `${'a'.repeat(63)}.com`,
  `${'a'.repeat(64)}.com`,
  `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.com`,
  `${'é'.repeat(60)}.${'é'.repeat(60)}.com`,
  `${'é'.repeat(60)}.${'é'.repeat(60)}.${'é'.repeat(60)}.com`,
  `${'😀'.repeat(15)}.${'😀'.repeat(15)}.${'😀'.repeat(15)}.${'😀'.repeat(15)}.com`,
  `${'😀'.repeat(16)}.${'😀'.repeat(16)}.${'😀'.repeat(16)}.${'😀'.repeat(16)}.com`,
  'exa mple.com',
  'example.co m',
  'example.c\u3000m',
  'example.\u3000\u3000',
  'example.\u00a9\u00a9',
  'example.\u00aa\u00aa',
  'example.\u00a0\u00a0',
  '😀.com',
  'example.😀',
  'example.com\n',
  'exa\u2028mple.com',
  'example.com/path',
  'a.b.c.d.e.f',
  '',
];

const WHOLE = [
  'casey@example.com',
  'Casey <casey@example.com>',
  'casey@@example.com',
  '@example.com',
  'casey@',
  'casey',
  '',
  '@',
  '.@.',
  'a@b.cd',
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`,
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(59)}.com`,
  'casey@example.com ',
  ' casey@example.com',
];

const CORPUS = [...LOCAL_PARTS.flatMap((local) => DOMAINS.map((domain) => `${local}@${domain}`)), ...WHOLE];

describe('emailFault against validator.js isEmail(value, { require_tld: true })', () => {
  it(`agrees on a corpus of ${CORPUS.length} addresses`, () => {
    const disagreements = CORPUS.filter((value) => accepts(value) !== validatorAccepts(value));
    expect(disagreements).toEqual([]);
  });

  // Characters each rule turns on: dots, quotes, escapes, the classes' range ends, full-width
  // forms, surrogates, whitespace of every kind.
  const tricky = [
    ...'aZ09.-_"\\ @+!(,:;<>[]`~\t\u0001',
    ...['é', 'ü', '\u00a0', '\u00a8', '\u00a9', '\u00aa', '\u2028', '\u3000', '\uff41', '\uff5e', '\uff5f'],
    ...['\ud83d', '\ude00', '\ud7ff', '\ue000', '\uf900', '\ufdd0', '\ufdf0', '\uffef', '\ufff0'],
  ];
  const text = (maxLength: number) => fc.string({ unit: fc.constantFrom(...tricky), maxLength });
  const label = fc.oneof(text(8), fc.constantFrom('example', 'xn--p1ai', 'a'.repeat(63), 'a'.repeat(64)));
  const domain = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));
  const topLevel = fc.constantFrom('com', 'c', 'co', 'xn--p1ai', 'xn', 'рф', '12', 'c0m', '');
  const address = fc
    .tuple(fc.oneof(text(12), text(70)), domain, topLevel)
    .map(([local, host, tld]) => `${local}@${host}.${tld}`);
  const RUNS = 20_000;

  it(`agrees on ${RUNS} generated addresses (seeded)`, () => {
    fc.assert(
      fc.property(address, (value) => accepts(value) === validatorAccepts(value)),
      { seed: 20_240_601, numRuns: RUNS },
    );
  });

  it(`agrees on ${RUNS} arbitrary strings (seeded)`, () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        (value) => accepts(value) === validatorAccepts(value),
      ),
      { seed: 20_240_602, numRuns: RUNS },
    );
  });
});
