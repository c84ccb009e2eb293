import { readFile } from 'node:fs/promises';

/** What one stage did in a run, from the pipeline's log. */
export interface StageFigures {
  /** Handler time summed over invocations (what Lambda bills), in seconds. */
  readonly busySeconds: number;
  readonly invocations: number;
  readonly messages: number;
  /** Objects the stage wrote (extract, transform) or loaded (load). */
  readonly objects: number;
  /** Rows the stage wrote (extract, transform) or inserted and updated (load). */
  readonly rows: number;
  /** Between the stage's first invocation's start and its last invocation's end, in seconds. */
  readonly spanSeconds: number;
}

type Entry = Readonly<Record<string, unknown>>;

const number = (value: unknown) => (typeof value === 'number' ? value : 0);

/**
 * Sums, per stage, the `invocation` lines the local runner logs at DEBUG (one per invocation,
 * like Lambda's REPORT line) and the stages' own INFO lines (`extracted`, `transform written`,
 * `object loaded`) of the given log files, keeping only lines at or after `since`.
 */
export async function pipelineLogStages(
  files: readonly string[],
  since: Date,
): Promise<Readonly<Record<'extract' | 'transform' | 'load', StageFigures>>> {
  const stages = {
    extract: { busyMs: 0, invocations: 0, messages: 0, objects: 0, rows: 0, first: Infinity, last: 0 },
    transform: { busyMs: 0, invocations: 0, messages: 0, objects: 0, rows: 0, first: Infinity, last: 0 },
    load: { busyMs: 0, invocations: 0, messages: 0, objects: 0, rows: 0, first: Infinity, last: 0 },
  };
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as Entry;
      const at = Date.parse(String(entry.timestamp));
      if (!(at >= since.getTime())) continue;
      if (entry.message === 'invocation') {
        const stage = stages[entry.stage as keyof typeof stages];
        if (!stage) continue;
        const ms = number(entry.durationMs);
        stage.busyMs += ms;
        stage.invocations += 1;
        stage.messages += number(entry.messages);
        stage.first = Math.min(stage.first, at - ms);
        stage.last = Math.max(stage.last, at);
      } else if (entry.message === 'extracted') {
        stages.extract.rows += number(entry.rows);
        stages.extract.objects += Array.isArray(entry.objects) ? entry.objects.length : 0;
      } else if (entry.message === 'transform written') {
        stages.transform.rows += number(entry.rowsOut);
        stages.transform.objects += 1;
      } else if (entry.message === 'object loaded') {
        stages.load.rows += number(entry.inserted) + number(entry.updated);
        stages.load.objects += 1;
      }
    }
  }
  const figures = (stage: (typeof stages)['extract']): StageFigures => ({
    busySeconds: Math.round(stage.busyMs) / 1000,
    invocations: stage.invocations,
    messages: stage.messages,
    objects: stage.objects,
    rows: stage.rows,
    spanSeconds: stage.invocations ? Math.round(stage.last - stage.first) / 1000 : 0,
  });
  return {
    extract: figures(stages.extract),
    transform: figures(stages.transform),
    load: figures(stages.load),
  };
}

/** The S3 requests the local stack counted (its last `local stack stopping` line at or after `since`). */
export async function s3RequestsOf(files: readonly string[], since: Date): Promise<Record<string, number>> {
  let requests: Record<string, number> = {};
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.includes('"local stack stopping"')) continue;
      const entry = JSON.parse(line) as Entry;
      if (Date.parse(String(entry.timestamp)) >= since.getTime() && entry.s3Requests)
        requests = entry.s3Requests as Record<string, number>;
    }
  }
  return requests;
}
