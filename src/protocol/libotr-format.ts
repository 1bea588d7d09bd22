/**
 * libotr's file formats, so keys and trust move between us and Pidgin,
 * Adium and other libotr clients:
 * - `otr.private_key`: an s-expression `(privkeys (account (name …)
 *   (protocol …) (private-key (dsa (p #…#) (q #…#) (g #…#) (y #…#) (x #…#)))))`;
 * - `otr.fingerprints`: one line per key, tab-separated:
 *   `username accountname protocol fingerprint trust`.
 */

/** The five DSA numbers, as hex. */
export interface DsaNumbers {
  p: string;
  q: string;
  g: string;
  y: string;
  x: string;
}

/** One account's key in an `otr.private_key` file. */
export interface LibotrAccountKey {
  name: string;
  protocol: string;
  dsa: DsaNumbers;
}

type Sexp = string | Sexp[];

/** Write one account's key in libotr's `otr.private_key` format. */
export function writeLibotrPrivateKey(account: { name: string; protocol: string }, dsa: DsaNumbers): string {
  const mpi = (hex: string) => {
    const even = hex.length % 2 ? `0${hex}` : hex;
    const signed = /^[89a-f]/i.test(even) ? `00${even}` : even; // gcrypt writes MPIs as signed
    return `#${signed.toUpperCase()}#`;
  };
  return [
    '(privkeys',
    ' (account',
    `(name ${quote(account.name)})`,
    `(protocol ${quote(account.protocol)})`,
    '(private-key ',
    ' (dsa ',
    ...(['p', 'q', 'g', 'y', 'x'] as const).map((k) => `  (${k} ${mpi(dsa[k])})`),
    '  )',
    ' )',
    ' )',
    ')',
    '',
  ].join('\n');
}

/** Read every DSA key in an `otr.private_key` file. Throws a plain Error on malformed input. */
export function readLibotrPrivateKeys(text: string): LibotrAccountKey[] {
  const root = parse(text);
  if (!Array.isArray(root) || root[0] !== 'privkeys') throw new Error('Not a libotr private key file: it must start with (privkeys.');
  return root.slice(1).map((account) => {
    if (!Array.isArray(account) || account[0] !== 'account') throw new Error('Expected an (account …) entry.');
    const name = field(account, 'name');
    const protocol = field(account, 'protocol');
    const key = find(account, 'private-key');
    const dsa = key && find(key, 'dsa');
    if (!dsa) throw new Error('Only DSA private keys are supported.');
    const num = (k: keyof DsaNumbers) => {
      const value = field(dsa, k);
      if (!/^[0-9a-f]+$/i.test(value)) throw new Error(`The DSA number ${k} is not hex.`);
      return value.replace(/^0+(?=.)/, '').toLowerCase();
    };
    return { name, protocol, dsa: { p: num('p'), q: num('q'), g: num('g'), y: num('y'), x: num('x') } };
  });
}

/** One line of an `otr.fingerprints` file. */
export interface FingerprintLine {
  username: string;
  accountname: string;
  protocol: string;
  /** 40 hex digits, any case or spacing. */
  fingerprint: string;
  /** libotr's trust word: `verified` (manual), `smp`, or empty for unverified. */
  trust: string;
}

/** Write libotr's `otr.fingerprints` format. */
export function writeLibotrFingerprints(lines: FingerprintLine[]): string {
  return lines
    .map((l) => {
      for (const v of [l.username, l.accountname, l.protocol, l.trust]) {
        if (/[\t\n\r]/.test(v)) throw new Error('Names in a fingerprints file cannot contain tabs or newlines.');
      }
      const hex = l.fingerprint.replace(/\s+/g, '').toLowerCase();
      return `${l.username}\t${l.accountname}\t${l.protocol}\t${hex}\t${l.trust}\n`;
    })
    .join('');
}

/** libgcrypt's s-expression token rule: a letter first, then letters, digits and `-./_:*+=`; else quote. */
function quote(value: string): string {
  return /^[A-Za-z][A-Za-z0-9\-./_:*+=]*$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function field(list: Sexp[], name: string): string {
  const entry = find(list, name);
  const value = entry?.[1];
  if (typeof value !== 'string') throw new Error(`Missing (${name} …).`);
  return value;
}

function find(list: Sexp[], name: string): Sexp[] | undefined {
  return list.find((item): item is Sexp[] => Array.isArray(item) && item[0] === name);
}

/** A small s-expression reader: lists, bare tokens, "quoted strings", and #hex# numbers (as hex text). */
function parse(text: string): Sexp {
  let i = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const read = (depth: number): Sexp => {
    if (depth > 16) throw new Error('The s-expression is nested too deeply.');
    skip();
    const c = text[i];
    if (c === undefined) throw new Error('Unexpected end of the s-expression.');
    if (c === '(') {
      i++;
      const list: Sexp[] = [];
      for (skip(); text[i] !== ')'; skip()) {
        if (i >= text.length) throw new Error('Unclosed ( in the s-expression.');
        list.push(read(depth + 1));
      }
      i++;
      return list;
    }
    if (c === '"') {
      let out = '';
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) throw new Error('Unclosed string in the s-expression.');
        out += text[i] === '\\' ? text[++i] : text[i];
      }
      i++;
      return out;
    }
    if (c === '#') {
      const end = text.indexOf('#', i + 1);
      if (end < 0) throw new Error('Unclosed #hex# in the s-expression.');
      const hex = text.slice(i + 1, end).replace(/\s+/g, '');
      i = end + 1;
      return hex;
    }
    const start = i;
    while (i < text.length && !/[\s()]/.test(text[i]!)) i++;
    if (start === i) throw new Error(`Unexpected ${c} in the s-expression.`);
    return text.slice(start, i);
  };
  const value = read(0);
  skip();
  if (i < text.length) throw new Error('Trailing text after the s-expression.');
  return value;
}
