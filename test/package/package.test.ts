// The published package: its manifest points at files the build makes, and `npm pack` holds only
// what users need (the build, the manifest, README, LICENSE, CHANGELOG).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

describe('package.json and npm pack', () => {
  it('is publishable, with engines, types, sideEffects and the custom elements manifest', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.engines.node).toMatch(/^>=\d+/);
    expect(pkg.license).toBe('MIT');
    expect(existsSync(join(repo, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(repo, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    for (const file of [pkg.types, pkg.customElements, ...(pkg.sideEffects as string[]).filter((f) => !f.includes('*'))]) {
      expect(existsSync(join(repo, file)), file).toBe(true);
    }
  });

  it('maps every export to a built file, with types for the code entries', () => {
    const targets: string[] = [];
    for (const [key, value] of Object.entries(pkg.exports as Record<string, string | Record<string, string>>)) {
      const files = typeof value === 'string' ? [value] : Object.values(value);
      if (typeof value !== 'string') expect(value.types, `${key} has types`).toMatch(/\.d\.ts$/);
      targets.push(...files);
    }
    for (const file of targets) expect(existsSync(join(repo, file)), file).toBe(true);
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './connectycube', './worker.js', './custom-elements.json']));
  });

  it('has connectycube only as an optional peer dependency, and no dependency but lit', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(['lit']);
    expect(pkg.peerDependencies.connectycube).toBeDefined();
    expect(pkg.peerDependenciesMeta.connectycube.optional).toBe(true);
  });

  it('packs only what users need', () => {
    const [report] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      }),
    );
    const files = (report.files as { path: string }[]).map((f) => f.path).sort();
    console.log(`npm pack: ${files.length} files, ${report.size} bytes packed, ${report.unpackedSize} unpacked`);
    for (const file of files)
      expect(file, 'packed file').toMatch(
        /^(dist\/[\w.-]+\.(js|d\.ts)|dist\/custom-elements\.json|dist\/frame\.html|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/,
      );
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/worker.js',
        'dist/custom-elements.json',
        'dist/frame.html',
        'dist/frame.js',
      ]),
    );
    // The packed tarball (gzip): 150 725 bytes with issue 12's stored sessions, re-sending and crash
    // recovery; 155 060 with issue 19's message ids and recovery retry (in both worker copies), the
    // accessibility tokens and their changelog entries; 168 084 with issue 20's isolated mode (the
    // frame page and its entry, the relay's chunks, and the README's section on what a page can see);
    // 179 182 with issue 21's encrypted files (in both worker copies, the page's file code and docs),
    // 186 290 with its XMPP upload and ConnectyCube storage file stores; 189 488 with issue 22's
    // batched IndexedDB store, per-peer lanes and lazy DH keys (in both worker copies) and the page's
    // box watch and scroll pin; 192 534 with the native DSA verify and one-read prime search (in both
    // worker copies), the engine's own copy of transferred files and their docs; 193 832 with files in
    // GCM segments; 195 021 with the Lucas test for DSA's p; 197 485 with the AKE's secret reused and
    // kept tables for a peer's DH key; 198 070 with key exchanges that give way (the lanes' rests, in
    // both worker copies, and their README and changelog entries).
    expect(report.size).toBeLessThan(200_000);
  });
});
