import { defineConfig } from 'tsup';

// The test server as a standalone process (browser journeys start it beside the dashboard).
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
});
