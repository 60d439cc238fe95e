// The library requires some of its modules when they are first used (lib/_internal/lazy.ts), with
// Node's `require`, which under vitest reads no TypeScript: tsx's CommonJS hook lets it, as tsx
// does for the command line run from source (bin/cdk8s-argocd.js).
import { register } from 'tsx/cjs/api';

const REGISTERED = Symbol.for('cdk8s-argocd.test.require-typescript');
const g = globalThis as { [REGISTERED]?: boolean };
if (!g[REGISTERED]) {
  register();
  g[REGISTERED] = true;
}
