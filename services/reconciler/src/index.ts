// The reconciler's public face: what the Lambda entry and the local stack may use.
export {
  createReconcileHandler,
  type LedgerSession,
  type ReconcileDeps,
  type ReconcileOutcome,
} from './create-reconcile-handler';
export { reconcilerFromEnvironment } from './reconciler-from-environment';
export { type DeadLetterReportDeps, type QueueDepth, reportDeadLetters } from './report-dead-letters';
