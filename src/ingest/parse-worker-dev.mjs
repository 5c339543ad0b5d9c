// Boots the parse worker from its TypeScript source (under vitest or tsx): registers tsx in this thread first.
// The bundled build (dist/parse-worker.js) does not use this file.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
