/**
 * Test helper: two raw otr.js instances wired to each other, with every
 * delivered message and SMP outcome recorded; the second side answers any
 * SMP request with `answer`. For tests of arithmetic under otr itself.
 */
import otr from 'otr';
import type { RawDsa } from 'otr';
import { until } from './until.js';

export interface RawPair {
  a: InstanceType<typeof otr.OTR>;
  b: InstanceType<typeof otr.OTR>;
  /** Delivered messages, as `a→b text` or `b→a text`. */
  inbox: string[];
  /** SMP outcomes, one per side. */
  results: boolean[];
  /** Run the AKE (started by `a`) and wait until both sides are encrypted. */
  ake(): Promise<void>;
  /** Run SMP asked by `a` with `secret` and `question`; resolves with both outcomes. */
  smp(secret: string, question: string): Promise<boolean[]>;
}

export function rawOtrPair(keyA: RawDsa, keyB: RawDsa, answer: string): RawPair {
  const a = new otr.OTR({ priv: keyA });
  const b = new otr.OTR({ priv: keyB });
  const inbox: string[] = [];
  const results: boolean[] = [];
  a.on('io', (m) => b.receiveMsg(m));
  b.on('io', (m) => a.receiveMsg(m));
  a.on('ui', (m) => inbox.push(`b→a ${m}`));
  b.on('ui', (m) => inbox.push(`a→b ${m}`));
  a.on('smp', (type, data) => (type === 'trust' ? results.push(data === true) : undefined));
  b.on('smp', (type, data) => {
    if (type === 'question') b.smpSecret(answer);
    if (type === 'trust') results.push(data === true);
  });
  return {
    a, b, inbox, results,
    async ake() {
      a.sendQueryMsg();
      await until(() => a.msgstate === 1 && b.msgstate === 1, 'AKE');
    },
    async smp(secret, question) {
      const before = results.length;
      a.smpSecret(secret, question);
      await until(() => results.length === before + 2, 'SMP results');
      return results.slice(before);
    },
  };
}
