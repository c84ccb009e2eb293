export {
  createReconcileHandler,
  type LedgerSession,
  type ReconcileDeps,
  type ReconcileOutcome,
} from './reconcile-handler';
export { type ReconcilerConfig, reconcilerConfig } from './reconciler-config';
export { reconcilerFromConfig } from './reconciler-from-config';
