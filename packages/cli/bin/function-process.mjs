// A process of the local stack's function pool: TypeScript through tsx, as the `totes` command.
import { register } from 'tsx/esm/api';

register();
await import('../src/stack/function-process.ts');
