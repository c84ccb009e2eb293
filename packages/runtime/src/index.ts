// What every stage uses. PostgreSQL (`pg`) and Secrets Manager are in `@totes/runtime/database`,
// so a stage that never opens a database (the transformer) does not carry them in its bundle.
export * from './create-aws-clients';
export * from './create-logger';
export * from './create-metrics';
export * from './describe-error';
export * from './load-config';
export * from './message-visibility';
export * from './object-announcer';
export * from './object-store';
export * from './retry-delay';
export * from './s3-object-listing';
export * from './s3-object-store';
export * from './sqs-batch-handler';
export * from './sqs-event-queue';
export * from './stage-handler';
