// Boots the match worker from its TypeScript source (under vitest or tsx); the bundle uses dist/match-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./match-worker.ts');
