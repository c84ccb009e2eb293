// The extractor's public face: what the Lambda entry, the local stack and the CLI may use.
export { createExtractHandler, type ExtractDeps } from './create-extract-handler';
export { createExtractRouter, type ExtractRouterDeps } from './create-extract-router';
export { ExtractError } from './extract-error';
export { extractorFromEnvironment } from './extractor-from-environment';
export type { Continuation, ExtractQueue } from './modes/continuation';
export { sqsExtractQueue } from './sqs-extract-queue';
export type { StateStore } from './store/state-store';
