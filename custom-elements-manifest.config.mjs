// @custom-elements-manifest/analyzer settings: the manifest of the public element, from its TSDoc.
// The plugin keeps only the public surface (the analyzer lists private members, and Lit's
// `state: true` properties as attributes) and names the module users import, dist/index.js.

/** Drop private members and the attributes of private (internal state) properties; point at the built module. */
const publicSurface = {
  name: 'e2ee-public-surface',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      mod.path = 'dist/index.js';
      for (const ref of mod.exports ?? []) ref.declaration.module = 'dist/index.js';
      for (const decl of mod.declarations ?? []) {
        const hidden = new Set((decl.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected').map((m) => m.name));
        decl.members = (decl.members ?? []).filter((m) => !hidden.has(m.name));
        decl.attributes = (decl.attributes ?? []).filter((a) => !hidden.has(a.fieldName ?? a.name));
      }
    }
  },
};

export default {
  globs: ['src/ui/e2ee-chat.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [publicSurface],
};
