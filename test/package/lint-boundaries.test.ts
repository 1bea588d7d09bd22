// The import-boundary rules of eslint.config.mjs do what they say: each case lints a line of code
// as if it were in the named file. Needs the lint toolchain (tools/lint; npm test installs it).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, outside the TypeScript project
import { ESLint } from '../../tools/lint/index.mjs';

const repo = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repo });

async function restricted(file: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: resolve(repo, file) });
  return result.messages.some((m: { ruleId: string | null }) => m.ruleId === '@typescript-eslint/no-restricted-imports');
}

describe('import boundaries (ESLint)', () => {
  it.each([
    ['src/ui/x.ts', "import type { EngineApi } from '../worker/api.js';", false],
    ['src/ui/x.ts', "import '../worker/error-transfer.js';", false],
    ['src/ui/x.ts', "import { E2eeError } from '../protocol/errors.js';", false],
    ['src/ui/x.ts', "import { Engine } from '../worker/engine.js';", true],
    ['src/ui/x.ts', "import { validateApi } from '../worker/api.js';", true],
    ['src/ui/x.ts', "import { OtrSession } from '../protocol/session.js';", true],
    ['src/ui/x.ts', "import { E2eeError } from '../protocol/index.js';", true],
    ['src/ui/x.ts', "import otr from 'otr';", true],
    ['src/index.ts', "import { Engine } from './worker/engine.js';", true],
    ['src/worker/x.ts', "import { E2eeError } from '../protocol/index.js';", false],
    ['src/worker/x.ts', "import { E2eeChat } from '../ui/e2ee-chat.js';", true],
    ['src/worker/x.ts', "import otr from 'otr';", true],
    ['src/protocol/x.ts', "import type { EngineApi } from '../worker/api.js';", true],
    ['src/protocol/x.ts', "import { chatStyles } from '../ui/chat-styles.js';", true],
    ['src/protocol/x.ts', "import otr from 'otr';", true],
    ['src/protocol/otr/loader.ts', "import otr from 'otr';", false],
    ['src/protocol/session.ts', "import { OtrConnection } from './otr/index.js';", false],
    ['src/protocol/session.ts', "import { createRawOtr } from './otr/loader.js';", true],
    ['src/protocol/keys.ts', "import { resetKeyState } from './otr/fixes.js';", true],
    ['src/worker/x.ts', "import { makeInstanceTag } from '../protocol/otr/index.js';", true],
    ['src/protocol/otr/native-sessions.ts', "import type { RawOtr } from 'otr';", false],
  ])('%s: %s → restricted: %s', async (file, code, expected) => {
    expect(await restricted(file, code)).toBe(expected);
  });
});
