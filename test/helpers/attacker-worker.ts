// A man in the middle in a worker of its own (otr is loaded in workers only in the browser tests):
// its own key, a copied instance tag, and whatever wire text the test hands it.
import { expose } from 'comlink';
import { IdentityKey, OtrSession } from '../../src/protocol/index.js';

let session: OtrSession | undefined;

const attacker = {
  /** Become an OTR endpoint with a fresh key and `instanceTag`; `wire` gets everything it sends. */
  start(instanceTag: number, wire: (text: string) => void): string {
    session = new OtrSession({ key: IdentityKey.generate(), instanceTag });
    session.on('wire', ({ text }) => wire(text));
    return session.ourFingerprint;
  },
  receive(text: string): void {
    session?.receive(text);
  },
  state(): string | undefined {
    return session?.state;
  },
};

export type Attacker = typeof attacker;
expose(attacker);
