import { defineConfig } from 'tsup';

// One self-contained server bundle: our workspace packages are inlined, native
// and large third-party modules stay external and load from node_modules.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  noExternal: [/^@scripthut\//],
  external: ['better-sqlite3', 'ssh2', 'cpu-features'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
