// Consumer tests: the packed tarball, installed into fixture apps as users install it, works in
// Chromium with zero configuration in a Vite app (dev and build), an esbuild app, a plain page
// loading it from another origin, and a page under strict CSP with Trusted Types required.
// Needs the library build in dist/ (`npm test` builds it first; alone: `npm run build`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { chromium, type Browser, type ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type Served } from './static-server.js';

const repo = resolve(import.meta.dirname, '../..');
const work = join(repo, 'test/consumer/.work');
const fixtures = join(repo, 'test/consumer/fixtures');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};

/** The policy the README documents: nothing inline, no eval, Trusted Types required for every script sink. */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html e2ee-chat',
].join('; ');

/** What every fixture reports when the AKE completed and both messages arrived encrypted. */
const EXPECTED = 'encrypted/encrypted alice got "hi alice" | bob got "hello from alice"';

let browser: Browser;
const timings: Record<string, number> = {};
const servers: Served[] = [];
const children: ChildProcess[] = [];

/** Child processes run as in a user's shell: without the repository's NODE_OPTIONS (a relative --import). */
const env = { ...process.env, NODE_OPTIONS: '' };
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist/index.js'))) throw new Error('No library build in dist/: run `npm run build` first (npm test does).');
  const started = Date.now();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', work], repo).trim().split('\n').at(-1)!;
  cpSync(fixtures, join(work, 'apps'), { recursive: true });
  // One install for every app: the package from its tarball, plus the tools a user would have.
  const devDependencies = Object.fromEntries(['vite', 'esbuild', 'typescript'].map((name) => [name, pkg.devDependencies[name]!]));
  writeFileSync(
    join(work, 'apps/package.json'),
    JSON.stringify(
      { name: 'consumer-fixtures', private: true, type: 'module', dependencies: { [pkg.name]: `file:../${tarball}` }, devDependencies },
      null,
      2,
    ),
  );
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], join(work, 'apps'));
  timings.install = Date.now() - started;
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const child of children) child.kill();
  await Promise.all(servers.map((s) => s.close()));
  console.log(`consumer timings (ms): ${JSON.stringify(timings)}`);
});

const apps = () => join(work, 'apps');

/** Open `url`, wait for the fixture's verdict; returns it with the console lines the page printed. */
async function verdict(
  url: string,
  probe?: () => string,
): Promise<{ ok: boolean; detail: string; console: string[]; violations: string[]; probed?: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const lines: string[] = [];
  page.on('console', (m: ConsoleMessage) => lines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
  await page.goto(url);
  const end = Date.now() + 90_000;
  let result: { ok: boolean; detail: string } | undefined;
  while (!result && Date.now() < end) {
    // Polling (not waitForFunction): Vite's dev optimizer may reload the page once.
    result = await page.evaluate(() => (window as { __e2ee?: { ok: boolean; detail: string } }).__e2ee).catch(() => undefined);
    if (!result) await new Promise((r) => setTimeout(r, 200));
  }
  const violations = (await page.evaluate(() => (window as { __violations?: string[] }).__violations ?? []).catch(() => [])) as string[];
  const seen = [...lines];
  const probed = probe ? await page.evaluate(probe) : undefined;
  await context.close();
  return { ...(result ?? { ok: false, detail: 'no verdict within 90 s' }), console: seen, violations, ...(probed === undefined ? {} : { probed }) };
}

/** What the check saw of isolated mode: whether Alice's chat was in a frame, and its storage warnings. */
const isolation = () =>
  JSON.stringify({ isolated: (window as { __isolated?: boolean }).__isolated, store: (window as { __storeErrors?: string[] }).__storeErrors });

/** Compile the shared check to plain JS importing the package from `packageUrl`, into `dir`. */
function plainCheck(dir: string, packageUrl: string): void {
  const source = readFileSync(join(apps(), 'shared/chat-check.ts'), 'utf8').replace("from 'e2ee-chat'", `from '${packageUrl}'`);
  writeFileSync(join(dir, 'chat-check.js'), transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' }).code);
}

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[name] = Date.now() - started;
  }
}

function startViteDev(cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(apps(), 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', '0', '--clearScreen', 'false'],
      { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
      const url = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(plain)?.[1];
      if (url) resolvePromise(url);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`vite dev exited (${code}): ${out}`)));
    setTimeout(() => reject(new Error(`vite dev did not start: ${out}`)), 30_000);
  });
}

describe('the packed package, installed into fixture apps', () => {
  it('its types compile under a strict tsconfig (skipLibCheck off, erasableSyntaxOnly on)', () => {
    const out = timedSync('tsc', () => {
      try {
        return execFileSync(process.execPath, [join(apps(), 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
          cwd: apps(),
          env,
          encoding: 'utf8',
        });
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    });
    expect(out.trim()).toBe('');
  });

  it('works in a Vite app with zero configuration, under `vite dev`', async () => {
    const result = await timed('vite-dev', async () => verdict(await startViteDev(join(apps(), 'vite-app'))));
    expect(result.detail).toBe(EXPECTED);
  }, 120_000);

  it('works in a Vite app with zero configuration, after `vite build`', async () => {
    const result = await timed('vite-build', async () => {
      execFileSync(process.execPath, [join(apps(), 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
        cwd: join(apps(), 'vite-app'),
        env,
        stdio: 'pipe',
      });
      const server = await serveStatic(join(apps(), 'vite-app/dist'), '127.0.0.1');
      servers.push(server);
      return verdict(`${server.origin}/`);
    });
    expect(result.detail).toBe(EXPECTED);
  }, 120_000);

  it('works in an esbuild app with zero configuration (`esbuild main.ts --bundle`)', async () => {
    const result = await timed('esbuild', async () => {
      const cwd = join(apps(), 'esbuild-app');
      execFileSync(join(apps(), 'node_modules/.bin/esbuild'), ['main.ts', '--bundle', '--format=esm', '--outdir=out', '--log-level=warning'], {
        cwd,
        env,
        stdio: 'pipe',
      });
      const server = await serveStatic(apps(), '127.0.0.1');
      servers.push(server);
      return verdict(`${server.origin}/esbuild-app/`);
    });
    expect(result.detail).toBe(EXPECTED);
  }, 120_000);

  it('works from one <script type="module"> on another origin (a CDN), worker included', async () => {
    const result = await timed('cdn', async () => {
      const cdn = await serveStatic(join(apps(), 'node_modules/e2ee-chat'), 'localhost', { 'access-control-allow-origin': '*' });
      servers.push(cdn);
      const dir = join(apps(), 'cdn-page');
      writeFileSync(join(dir, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('__CDN__', cdn.origin));
      plainCheck(dir, `${cdn.origin}/dist/index.js`);
      const page = await serveStatic(dir, '127.0.0.1');
      servers.push(page);
      return verdict(`${page.origin}/`, isolation);
    });
    expect(result.detail).toBe(EXPECTED);
    // From another origin the element is isolated by default: its chat runs in the package's own
    // frame.html on the CDN's origin. That is another site, so Chromium gives the frame no storage,
    // and the chat says its key lasts for this visit.
    expect(JSON.parse(result.probed!)).toEqual({ isolated: true, store: [expect.stringMatching(/lasts for this visit only/)] });
  }, 120_000);

  it('starts a hosted worker from another origin (configureEngine workerUrl) through a same-origin blob: bootstrap', async () => {
    const result = await timed('cdn-worker-url', async () => {
      const cdn = await serveStatic(join(apps(), 'node_modules/e2ee-chat'), 'localhost', { 'access-control-allow-origin': '*' });
      servers.push(cdn);
      const dir = join(apps(), 'cdn-worker-url');
      mkdirSync(dir, { recursive: true });
      const entry = `${cdn.origin}/dist/index.js`;
      writeFileSync(
        join(dir, 'index.html'),
        `<!doctype html><title>hosted worker</title><script type="module" src="${entry}"></script><script type="module" src="./app.js"></script>`,
      );
      writeFileSync(
        join(dir, 'app.js'),
        [
          `import { configureEngine } from '${entry}';`,
          `import { chatCheck, report } from './chat-check.js';`,
          `configureEngine({ workerUrl: '${cdn.origin}/dist/worker.js' });`,
          `report(chatCheck());`,
        ].join('\n'),
      );
      plainCheck(dir, entry);
      const page = await serveStatic(dir, '127.0.0.1');
      servers.push(page);
      return verdict(`${page.origin}/`);
    });
    expect(result.detail).toBe(EXPECTED);
  }, 120_000);

  it('works under strict CSP with Trusted Types required, with zero violations in the console', async () => {
    const result = await timed('csp', async () => {
      const dir = join(apps(), 'csp-page');
      cpSync(join(apps(), 'node_modules/e2ee-chat/dist'), join(dir, 'pkg'), { recursive: true });
      plainCheck(dir, './pkg/index.js');
      const page = await serveStatic(dir, '127.0.0.1', { 'content-security-policy': STRICT_CSP });
      servers.push(page);
      // After the verdict: proof that the policy was in force (a string into innerHTML must throw).
      return verdict(`${page.origin}/`, () => {
        try {
          document.createElement('div').innerHTML = '<b>x</b>';
          return 'innerHTML accepted a string';
        } catch {
          return 'Trusted Types enforced';
        }
      });
    });
    expect(result.detail).toBe(EXPECTED);
    expect(result.probed).toBe('Trusted Types enforced');
    expect(result.violations).toEqual([]);
    expect(result.console.filter((line) => /content security policy|trusted ?type|refused/i.test(line))).toEqual([]);
  }, 120_000);

  it("works under the strictest CSP (worker-src 'self', no blob:) with a hosted worker and the page's own Trusted Types policy", async () => {
    const result = await timed('csp-own-policy', async () => {
      const dir = join(apps(), 'csp-own-policy');
      mkdirSync(dir, { recursive: true });
      cpSync(join(apps(), 'node_modules/e2ee-chat/dist'), join(dir, 'pkg'), { recursive: true });
      cpSync(join(apps(), 'csp-page/violations.js'), join(dir, 'violations.js'));
      writeFileSync(
        join(dir, 'index.html'),
        '<!doctype html><title>own policy</title><script type="module" src="./violations.js"></script><script type="module" src="./app.js"></script>',
      );
      writeFileSync(
        join(dir, 'app.js'),
        [
          "import { configureEngine } from './pkg/index.js';",
          "import { chatCheck, report } from './chat-check.js';",
          "const policy = trustedTypes.createPolicy('app-policy', {",
          "  createScriptURL: (url) => { if (new URL(url).pathname === '/pkg/worker.js') return url; throw new TypeError(`not ours: ${url}`); },",
          '});',
          "configureEngine({ workerUrl: '/pkg/worker.js', trustedTypesPolicy: policy });",
          'report(chatCheck());',
        ].join('\n'),
      );
      plainCheck(dir, './pkg/index.js');
      const csp = STRICT_CSP.replace("worker-src 'self' blob:", "worker-src 'self'").replace(
        'trusted-types lit-html e2ee-chat',
        'trusted-types lit-html app-policy',
      );
      const page = await serveStatic(dir, '127.0.0.1', { 'content-security-policy': csp });
      servers.push(page);
      return verdict(`${page.origin}/`);
    });
    expect(result.detail).toBe(EXPECTED);
    expect(result.violations).toEqual([]);
    expect(result.console.filter((line) => /content security policy|trusted ?type|refused/i.test(line))).toEqual([]);
  }, 120_000);
});

function timedSync<T>(name: string, work: () => T): T {
  const started = Date.now();
  try {
    return work();
  } finally {
    timings[name] = Date.now() - started;
  }
}
