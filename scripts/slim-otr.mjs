// Vite build plugin: the worker bundle leaves out the parts of otr.js 0.2.16 (and of its vendored
// bigint.js, CryptoJS and EventEmitter) that can never run in this product. Each edit below is an
// exact text replacement in one file, with the reason it is dead code; the build fails if the text
// is not found exactly as expected (another otr.js version), as scripts/slim-cryptojs.mjs does.
//
// Only code that no caller can reach is removed: code our own fixes replace at load
// (src/protocol/otr/fixes.ts, installed before any otr.js instance exists: install.ts), options
// and entry points we never use (loader.ts makes every instance and key), and the UMD wrappers'
// branches for AMD and browser globals (the bundle always takes the CommonJS branch). The
// originals of the exact speed-ups (bigint.js, the helpers, the encoders) stay: the speed-ups fall
// back to them, and the bench's stock-otr.js worker puts them back (bench/shipped/stock-worker.ts).
// Tests: test/protocol/slim-otr.test.ts (each edit applies; the slimmed modules load and run an
// AKE, messages and SMP), test/worker/built-bundle.browser.test.ts (the built worker).
import { readFileSync } from 'node:fs';

/** The UMD test for CommonJS in otr's own files: always true in the bundle (`module` is the wrapper's). */
const CJS_TEST = "if (typeof module !== 'undefined' && module.exports) {";
const cjsOnly = { why: 'UMD: the bundle always takes the CommonJS branch', from: CJS_TEST, to: 'if (true) {' };

/** Edits per file (path under node_modules/otr/), applied in order; each `from` must occur exactly once. */
export const EDITS = {
  'lib/otr.js': [
    {
      why: "otr.js's SMP-in-a-Web-Worker (undocumented `smw` option): loader.ts never passes `smw`",
      from: "    SMWPath = require('path').join(__dirname, '/sm-webworker.js')\n",
      to: '',
    },
    {
      why: 'the same: the _SMW class, its EventEmitter inheritance and method shims',
      cut: ['  // smp over webworker\n  OTR.prototype._SMW = function', '  OTR.prototype._smInit = function'],
    },
    {
      why: 'the same, in _smInit',
      from: '    if (this.smw) {\n      if (this.sm) this.sm.worker.terminate()  // destroy prev webworker\n      this.sm = new this._SMW(this, reqs)\n    } else {\n      this.sm = new SM(reqs)\n    }\n',
      to: '    this.sm = new SM(reqs)\n',
    },
    {
      why: 'the same, in endOtr',
      from: '        if (this.smw) this.sm.worker.terminate()  // destroy webworker\n',
      to: '',
    },
    {
      why: 'sendFile (extra symmetric key offers): nothing in src/ calls it',
      cut: ['  OTR.prototype.sendFile = function', '  OTR.prototype.endOtr = function'],
    },
    {
      why: 'checkInstanceTags: fixes.ts replaces it on the prototype before any instance exists',
      cut: ['  OTR.prototype.checkInstanceTags = function', '  OTR.prototype.doAKE = function'],
    },
    {
      why: 'OTR.prototype.error: loader.ts gives every instance its own error() right after construction (nothing calls error() during it)',
      cut: ['  OTR.prototype.error = function', '  OTR.prototype.notify = function'],
    },
    {
      why: 'UMD (browser globals)',
      cut: ['  } else {\n    // copy over and expose internals\n    Object.keys(root.OTR)', '  // diffie-hellman modulus and generator'],
      to: '  }\n\n',
    },
    cjsOnly,
  ],
  'lib/ake.js': [
    {
      why: "handleAKE's D-H Key and Reveal Signature cases: fixes.ts's handleAKE handles both message types itself and passes only the others to the original",
      cut: ["        case '\\x0a':\n", "        case '\\x12':\n"],
    },
    {
      why: 'AKE.prototype.sendMsg and initiateAKE: fixes.ts replaces both on the prototype before any AKE exists (the constructor binds the replaced sendMsg)',
      cut: ['    sendMsg: function (version, type, msg) {', '\n  }\n\n}).call(this)'],
    },
    { why: 'UMD (browser globals)', cut: ['  } else {\n    root.OTR.AKE = AKE', '  // diffie-hellman modulus\n'], to: '  }\n\n' },
    cjsOnly,
  ],
  'lib/dsa.js': [
    {
      why: "DSA.createInWebWorker (otr.js's key generation in a Web Worker): nothing in src/ calls it",
      from: "    WWPath = require('path').join(__dirname, '/dsa-webworker.js')\n",
      to: '',
    },
    { why: 'the same', cut: ['  DSA.createInWebWorker = function', '}).call(this)'] },
    {
      why: "parsePrivate's libotr S-expression reader: loader.ts calls parsePrivate(text) only (libotr keys are read by src/protocol/libotr-format.ts)",
      cut: ['  function tokenizeStr(str) {', '  DSA.parsePrivate = function'],
    },
    {
      why: 'the same, in parsePrivate',
      from: '    if (!libotr) {\n      str = CryptoJS.enc.Base64.parse(str)\n      str = str.toString(CryptoJS.enc.Latin1)\n      return DSA.parsePublic(str, true)\n    }\n    // only returning the first key found\n    return parseLibotr(tokenizeStr(str))[0]["private-key"].dsa\n',
      to: '    str = CryptoJS.enc.Base64.parse(str)\n    str = str.toString(CryptoJS.enc.Latin1)\n    return DSA.parsePublic(str, true)\n',
    },
    {
      why: 'UMD (browser globals)',
      cut: ['  } else {\n    // copy over and expose internals\n    Object.keys(root.DSA)', "  var ZERO = BigInt.str2bigInt('0', 10)"],
      to: '  }\n\n',
    },
    cjsOnly,
  ],
  'lib/helpers.js': [
    {
      why: "wrapMsg's fragmentation: every instance has fragment_size 0 (loader.ts; src/protocol/fragment.ts fragments instead)",
      cut: ['    var its\n    if (v3) {', '  HLP.splitype = function'],
      to: '    return [null, msg]\n  }\n\n',
    },
    { why: 'UMD (browser globals)', cut: ['  } else {\n    if (root.OTR) root.OTR.HLP = HLP', '  // data types'], to: '  }\n\n' },
    cjsOnly,
  ],
  'lib/parse.js': [
    {
      why: "otr.js's fragment reassembly: session.ts hands every fragment (first `?OTR` followed by `,` or `|`, the test parseMsg makes) to its own Reassembler and never passes otr.js a reassembled fragment",
      cut: ['  Parse.msgFragment = function', '}).call(this)'],
    },
    {
      why: 'the same, in parseMsg',
      from: "    // message fragment\n    if (com === ',' || com === '|') {\n      return this.msgFragment(otr, msg.substring(ind + 1), (com === '|'))\n    }\n",
      to: '',
    },
    { why: 'UMD (browser globals)', cut: ['  } else {\n    root.OTR.Parse = Parse', '  // whitespace tags'], to: '  }\n\n' },
    cjsOnly,
  ],
  'lib/sm.js': [{ why: 'UMD (browser globals)', cut: ['  } else {\n    root.OTR.SM = SM', '  // diffie-hellman modulus'], to: '  }\n\n' }, cjsOnly],
  'lib/const.js': [
    {
      why: 'UMD (browser globals)',
      from: "  if (typeof module !== 'undefined' && module.exports) {\n    module.exports = CONST\n  } else {\n    root.OTR.CONST = CONST\n  }\n",
      to: '  module.exports = CONST\n',
    },
  ],
  'vendor/bigint.js': [
    {
      why: 'UMD (AMD, browser globals)',
      from: "  if (typeof define === 'function' && define.amd) {\n    define(factory.bind(root, root.crypto || root.msCrypto))\n  } else if (typeof module !== 'undefined' && module.exports) {\n    module.exports = factory(require('crypto'))\n  } else {\n    root.BigInt = factory(root.crypto || root.msCrypto)\n  }\n",
      to: "  module.exports = factory(require('crypto'))\n",
    },
  ],
  'vendor/eventemitter.js': [
    // otr.js and the seam use EventEmitter's on() and trigger() only (trigger's once-listener
    // handling needs removeListener and _getOnceReturnValue); the rest of its API is never called.
    { why: 'flattenListeners: never called', cut: ['\tproto.flattenListeners = function', '\tproto.getListenersAsObject = function'] },
    { why: 'addOnceListener/once, defineEvent(s): never called', cut: ['\tproto.addOnceListener = function', '\tproto.removeListener = function'] },
    {
      why: 'off, addListeners, removeListeners, manipulateListeners, removeEvent/removeAllListeners: never called',
      cut: ["\tproto.off = alias('removeListener');", '\tproto.emitEvent = function'],
    },
    { why: 'emit, setOnceReturnValue: never called', cut: ['\tproto.emit = function emit(evt) {', '\tproto._getOnceReturnValue = function'] },
    {
      why: 'UMD (AMD, browser globals)',
      from: "\tif (typeof define === 'function' && define.amd) {\n\t\tdefine(function () {\n\t\t\treturn EventEmitter;\n\t\t});\n\t}\n\telse if (typeof module === 'object' && module.exports){\n\t\tmodule.exports = EventEmitter;\n\t}\n\telse {\n\t\tthis.EventEmitter = EventEmitter;\n\t}\n",
      to: '\tmodule.exports = EventEmitter;\n',
    },
  ],
  'vendor/crypto.js': [
    {
      why: 'WordArray.random (Math.random bytes): nothing calls it (otr.js draws randomness from bigint.js\'s CSPRNG; its only CryptoJS caller, the OpenSSL KDF of cipher-core, is left out by slim-cryptojs.mjs)',
      cut: ['        },\n\n        /**\n         * Creates a word array filled with random bytes.', '\n    });\n\n    /**\n     * Encoder namespace.'],
      to: '        }',
    },
    {
      why: 'UMD (AMD, browser globals)',
      from: '  if (typeof define === "function" && define.amd) {\n    define(factory)\n  } else if (typeof module !== \'undefined\' && module.exports) {\n    module.exports = factory()\n  } else {\n    root.CryptoJS = factory()\n  }\n',
      to: '  module.exports = factory()\n',
    },
  ],
};

function count(text, part) {
  let n = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) n++;
  return n;
}

/** `text` (the file at `file`, a key of {@link EDITS}) with its edits applied; throws if one does not fit. */
export function slimOtrSource(file, text) {
  let out = text.replace(/\r\n/g, '\n');
  for (const edit of EDITS[file] ?? []) {
    const fail = (what) => {
      throw new Error(`slim-otr: ${file}: ${what} (${edit.why}); is this otr 0.2.16?`);
    };
    if (edit.cut) {
      // Remove from the start marker up to (not including) the end marker.
      const [start, end] = edit.cut;
      if (count(out, start) !== 1) fail(`expected one ${JSON.stringify(start)}`);
      const from = out.indexOf(start);
      const to = out.indexOf(end, from + start.length);
      if (to === -1 || count(out.slice(from + start.length), end) < 1) fail(`no ${JSON.stringify(end)} after ${JSON.stringify(start)}`);
      out = out.slice(0, from) + (edit.to ?? '') + out.slice(to);
    } else {
      if (count(out, edit.from) !== 1) fail(`expected one ${JSON.stringify(edit.from)}`);
      out = out.replace(edit.from, () => edit.to);
    }
  }
  return out;
}

/** The file key of an otr module id (`…/node_modules/otr/lib/otr.js` → `lib/otr.js`), or undefined. */
function otrFile(id) {
  const [path, query] = id.split('?');
  if (query) return undefined; // e.g. crypto.js?full (the bench's stock worker): left whole
  const m = /\/node_modules\/otr\/((?:lib|vendor)\/[\w-]+\.js)$/.exec(path.replace(/\\/g, '/'));
  return m && EDITS[m[1]] ? m[1] : undefined;
}

/** The plugin (build only: the dev server and Node keep otr.js whole). */
export function slimOtr() {
  return {
    name: 'e2ee-slim-otr',
    apply: 'build',
    transform(code, id) {
      const file = otrFile(id);
      return file ? { code: slimOtrSource(file, code), map: null } : null;
    },
  };
}

/** The slimmed text of one file, read from node_modules (for tests). */
export function slimOtrFile(file, path) {
  return slimOtrSource(file, readFileSync(path, 'utf8'));
}
