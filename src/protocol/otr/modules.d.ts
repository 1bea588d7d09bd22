/**
 * Ambient declarations for the parts of otr 0.2.16 we touch. Only
 * src/protocol/otr/loader.ts may import these modules.
 */
declare module 'otr' {
  /** bigint.js number: little-endian array of 15-bit limbs. */
  export type RawBigInt = number[];

  export interface RawDsa {
    p: RawBigInt;
    q: RawBigInt;
    g: RawBigInt;
    y: RawBigInt;
    x?: RawBigInt;
    type: string;
    packPublic(): string;
    packPrivate(): string;
    fingerprint(): string;
  }

  export interface RawDsaStatic {
    new (obj?: object | null, opts?: { bit_length?: number; nocache?: boolean }): RawDsa;
    parsePrivate(str: string, libotr?: boolean): RawDsa;
    parsePublic(str: string, priv?: boolean): RawDsa;
  }

  export interface RawOtrOptions {
    priv: RawDsa;
    instance_tag?: string;
    fragment_size?: number;
    send_interval?: number;
    debug?: boolean;
  }

  export interface RawSm {
    abort(): void;
    rcvSecret(secret: string, question?: string): void;
    ssid: string | null;
    our_fp: string;
    their_fp: string;
  }

  export interface RawAke {
    otr_version?: string;
    our_dh: { privateKey: RawBigInt; publicKey: RawBigInt };
    our_keyid: number;
    /** The AKE's AES key: a 16-byte string since our fix (otr/fixes.ts). */
    r: string | null;
  }

  export interface RawOtr {
    msgstate: number;
    authstate: number;
    ALLOW_V2: boolean;
    ALLOW_V3: boolean;
    REQUIRE_ENCRYPTION: boolean;
    SEND_WHITESPACE_TAG: boolean;
    WHITESPACE_START_AKE: boolean;
    ERROR_START_AKE: boolean;
    fragment_size: number;
    our_instance_tag: string;
    their_instance_tag: string;
    their_priv_pk: RawDsa | null;
    priv: RawDsa;
    ake: RawAke;
    sm: RawSm | null;
    ssid: string | null;
    debug: boolean;
    storedMgs: { msg: string; meta?: unknown }[];
    on(event: 'io', cb: (msg: string, meta?: unknown) => void): void;
    on(event: 'ui', cb: (msg: string, encrypted: boolean, meta?: unknown) => void): void;
    on(event: 'error', cb: (err: string, severity: string) => void): void;
    on(event: 'status', cb: (state: number) => void): void;
    on(event: 'smp', cb: (type: string, data?: unknown, act?: string) => void): void;
    on(event: string, cb: (...args: unknown[]) => void): void;
    sendMsg(msg: string, meta?: unknown): void;
    receiveMsg(msg: string, meta?: unknown): void;
    sendQueryMsg(): void;
    sendStored(): void;
    endOtr(cb?: () => void): void;
    smpSecret(secret: string, question?: string): void;
    error(err: string): void;
    notify(err: string, severity?: string): void;
    io(msg: string | string[], meta?: unknown): void;
    trigger(event: string, args: unknown[]): void;
    init(): void;
    _akeInit(): void;
    _smInit(): void;
    dh(): { privateKey: RawBigInt; publicKey: RawBigInt };
    /** Handles the TLV records after a decrypted message's first NUL (`sessKeys`: the keys used). */
    handleTLVs(tlvs: string, sessKeys: unknown): void;
  }

  export interface RawOtrStatic {
    new (options: RawOtrOptions): RawOtr;
    makeInstanceTag(): string;
    CONST: Record<string, number | string>;
  }

  const otr: { OTR: RawOtrStatic; DSA: RawDsaStatic };
  export default otr;
}

declare module 'otr/vendor/bigint.js' {
  import type { RawBigInt } from 'otr';
  /** The vendored bigint.js module object (mutable: its functions can be replaced). */
  const bigint: Record<string, (...args: never[]) => unknown> & {
    powMod(x: RawBigInt, y: RawBigInt, n: RawBigInt): RawBigInt;
    randBigInt(bits: number, s?: number): RawBigInt;
    bigInt2str(x: RawBigInt, base: number): string;
    /** otr.js's addition: the minimal big-endian bytes as a binary string ('' for 0). */
    bigInt2bits(x: RawBigInt, pad?: number): string;
    str2bigInt(s: string, base: number, minSize?: number): RawBigInt;
  };
  export default bigint;
}

declare module 'otr/lib/*' {
  const mod: Record<string, unknown>;
  export default mod;
}

declare module 'otr/vendor/crypto.js' {
  /** The vendored CryptoJS 3.1.2 module object (mutable: its encoders can be replaced). */
  const cryptoJs: Record<string, unknown>;
  export default cryptoJs;
}

declare module 'otr/package.json' {
  /** otr's package version: the seam checks it before it patches anything (install.ts). */
  export const version: string;
}
