export * from './embedded-aws';
export * from './embedded-postgres-server';
export * from './free-port';
