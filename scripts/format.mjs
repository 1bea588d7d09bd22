#!/usr/bin/env node
// Prettier over the files listed below (`npm run format` writes, `npm run format:check` checks;
// npm test checks). The list starts with the files created with the library build (issue 13), so
// that existing files are not mass-reformatted; widen it file by file, or to globs, when convenient.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const FORMATTED = [
  '.prettierrc.json',
  'custom-elements-manifest.config.mjs',
  'eslint.config.mjs',
  'rollup.dts.config.mjs',
  'scripts/build-lib.mjs',
  'scripts/format.mjs',
  'scripts/lint.mjs',
  'src/connectycube.ts',
  'src/index.ts',
  'src/lib/default-worker.ts',
  'src/lib/virtual.d.ts',
  'src/protocol/otr/key-ids.ts',
  'src/protocol/outbox.ts',
  'src/protocol/resent.ts',
  'src/ui/default-worker.ts',
  'src/ui/engine-client.ts',
  'src/ui/engine-config.ts',
  'src/ui/engine-events.ts',
  'src/ui/engine-outbox.ts',
  'src/ui/engine-supervisor.ts',
  'src/ui/worker-launch.ts',
  'src/ui/isolated/*.ts',
  'src/worker/fallback-store.ts',
  'test/consumer/consumer.test.ts',
  'test/consumer/static-server.ts',
  'test/consumer/fixtures/**/*.{ts,js,json}',
  'test/interop/libotr-resend.test.ts',
  'test/package/*.ts',
  'test/protocol/outbox.test.ts',
  'test/protocol/resend.test.ts',
  'test/helpers/crashable-worker.ts',
  'test/helpers/killable-workers.ts',
  'test/ui/e2ee-chat-restart.browser.test.ts',
  'test/ui/engine-restart.browser.test.ts',
  'test/ui/isolated/*.ts',
  'test/ui/isolated/pages/*.js',
  'test/ui/theming.browser.test.ts',
  'test/ui/worker-failure.browser.test.ts',
  'test/worker/resend.test.ts',
  'test/worker/fallback-store.test.ts',
  'test/worker/locks-refused.test.ts',
  'tools/lint/index.mjs',
  'tsconfig.lib.json',
  'vite.lib.config.ts',
  'vite.otr-shims.ts',
  'vite.worker.config.ts',
];

const prettier = 'tools/lint/node_modules/prettier/bin/prettier.cjs';
if (!existsSync(prettier)) {
  console.error('Prettier is not installed: run `npm ci --prefix tools/lint` (npm test does).');
  process.exit(1);
}
const write = process.argv.includes('--write');
try {
  execFileSync(process.execPath, [prettier, write ? '--write' : '--check', '--log-level', write ? 'log' : 'warn', ...FORMATTED], {
    stdio: 'inherit',
  });
  if (!write) console.log(`Prettier: ${FORMATTED.length} entries formatted.`);
} catch {
  process.exit(1);
}
