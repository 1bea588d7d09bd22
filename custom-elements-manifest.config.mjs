// @custom-elements-manifest/analyzer settings: the manifest of the public element, from its TSDoc.
// The plugin keeps only the public surface (the analyzer lists private members, and Lit's
// `state: true` properties as attributes) and names the module users import, dist/index.js, as the one module.

/** Public members that are the package's own plumbing (marked `@internal` in the TSDoc): the frame sets `inputHold` on its own chat. */
const INTERNAL = new Set(['inputHold']);

/** Drop private members and the attributes of private (internal state) properties; point at the built module. */
const publicSurface = {
  name: 'e2ee-public-surface',
  packageLinkPhase({ customElementsManifest }) {
    // Every analysed source is bundled into dist/index.js: one module, its declarations and exports merged.
    const declarations = customElementsManifest.modules.flatMap((mod) => mod.declarations ?? []);
    const exports = new Map();
    for (const ref of customElementsManifest.modules.flatMap((mod) => mod.exports ?? [])) {
      ref.declaration.module = 'dist/index.js';
      exports.set(`${ref.kind}:${ref.name}`, ref);
    }
    for (const decl of declarations) {
      const hidden = new Set(
        (decl.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected' || INTERNAL.has(m.name)).map((m) => m.name),
      );
      decl.members = (decl.members ?? []).filter((m) => !hidden.has(m.name));
      decl.attributes = (decl.attributes ?? []).filter((a) => !hidden.has(a.fieldName ?? a.name));
    }
    customElementsManifest.modules = [{ kind: 'javascript-module', path: 'dist/index.js', declarations, exports: [...exports.values()] }];
  },
};

export default {
  globs: ['src/ui/e2ee-chat.ts', 'src/ui/e2ee-chat.component.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [publicSurface],
};
