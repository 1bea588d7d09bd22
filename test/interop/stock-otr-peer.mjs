// A stock, UNPATCHED otr.js 0.2.16 peer in its own Node process (none of
// src/protocol's fixes are loaded here). Talks JSON lines on stdin/stdout:
//   in:  {"cmd":"new","key":"<base64 DSA>","forceR":["hex",...]}  fresh OTR object
//        {"cmd":"recv","text":"..."} | {"cmd":"query"} | {"cmd":"send","text":"..."} | {"cmd":"quit"}
//   out: {"ev":"io","text":"..."} {"ev":"ui","text":"...","encrypted":true}
//        {"ev":"status","status":2} {"ev":"error","message":"..."} {"ev":"ok"}
// forceR only makes otr's own random draws of 128 bits (the AKE key r)
// return the given values (test instrumentation; otr's code is untouched).
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

// otr is CommonJS: load it (and the bigint.js module object it shares) the plain Node way.
const load = createRequire(import.meta.url);
const { OTR, DSA } = load('otr');
const BigInt = load('otr/vendor/bigint.js');

const realRand = BigInt.randBigInt;
let forced = [];
BigInt.randBigInt = function (bits, s) {
  if (bits === 128 && forced.length) return BigInt.str2bigInt(forced.shift(), 16);
  return realRand(bits, s);
};

// Synchronous writes: with process.stdout, lines written from otr's output timers went missing here.
const out = (o) => writeSync(1, JSON.stringify(o) + '\n');
let otr = null;
const keys = new Map();

createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  switch (m.cmd) {
    case 'new': {
      if (!keys.has(m.key)) keys.set(m.key, DSA.parsePrivate(m.key));
      forced = (m.forceR || []).slice();
      otr = new OTR({ priv: keys.get(m.key) });
      otr.on('io', (text) => out({ ev: 'io', text }));
      otr.on('ui', (text, encrypted) => out({ ev: 'ui', text, encrypted: !!encrypted }));
      otr.on('status', (status) => out({ ev: 'status', status }));
      otr.on('error', (message) => out({ ev: 'error', message: String(message) }));
      break;
    }
    case 'recv':
      try {
        otr.receiveMsg(m.text);
      } catch (e) {
        out({ ev: 'error', message: `threw: ${e && e.stack}` });
      }
      break;
    case 'query': otr.sendQueryMsg(); break;
    case 'send': otr.sendMsg(m.text); break;
    case 'quit': process.exit(0);
  }
  out({ ev: 'ok', forcedLeft: forced.length, authstate: otr && otr.authstate, msgstate: otr && otr.msgstate });
});
