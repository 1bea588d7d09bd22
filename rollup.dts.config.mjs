// Library build, step 3: bundle the declarations tsc wrote to dist/types into one
// file per entry (dist/index.d.ts, dist/connectycube.d.ts). Only what the public
// API reaches is kept, so no otr.js types and no internal modules leak to users.
// lit's own types stay imports: `lit` is a dependency of the package for them.
import { dts } from 'rollup-plugin-dts';

const entry = (name) => ({
  input: `dist/types/${name}.d.ts`,
  output: { file: `dist/${name}.d.ts`, format: 'es' },
  external: ['connectycube', 'lit', 'lit-html', /^lit\//, /^lit-html\//],
  plugins: [dts()],
});

export default [entry('index'), entry('connectycube')];
