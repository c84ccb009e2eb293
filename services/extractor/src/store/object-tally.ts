import type { PutOutcome } from './put-once';

/** Collects the objects of a run as it goes. */
export class ObjectTally {
  rows = 0;
  readonly written: string[] = [];
  readonly existing: string[] = [];

  add(key: string, outcome: PutOutcome, rows: number): void {
    (outcome === 'written' ? this.written : this.existing).push(key);
    this.rows += rows;
  }
}
