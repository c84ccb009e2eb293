export * from './aws-clients';
export * from './embedded-aws';
export * from './embedded-postgres-server';
export * from './free-port';
export * from './provision-pipeline';
