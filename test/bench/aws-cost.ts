import type { StageName } from '@totes/pipeline';
import type { StageFigures } from './pipeline-log-stages';

/**
 * Published AWS prices, in US dollars (us-east-1, December 2026); each is cited in
 * docs/cost.md, "Cost per million rows".
 */
export const awsPrices = {
  /** Lambda, arm64, per GB-second (first tier). */
  lambdaGbSecond: 0.0000133334,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** S3 Standard, PUT, COPY, POST and LIST requests. */
  s3Put: 0.005 / 1000,
  /** S3 Standard, GET and all other requests. */
  s3Get: 0.0004 / 1000,
  /** SQS standard queue, per request (64 KB chunk). */
  sqsStandardRequest: 0.4 / 1e6,
  /** SQS FIFO queue, per request. */
  sqsFifoRequest: 0.5 / 1e6,
  /** SNS standard topic, per publish (64 KB chunk); deliveries to SQS are free. */
  snsPublish: 0.5 / 1e6,
} as const;

/** What a run cost, by part, in US dollars. */
export interface RunCost {
  readonly lambdaCompute: number;
  readonly lambdaRequests: number;
  readonly s3: number;
  readonly sqs: number;
  readonly sns: number;
  readonly total: number;
}

/**
 * Prices a run in AWS from what it did on the local stack: each stage's handler seconds at its
 * configured memory, its invocations, the S3 requests counted by the stack, and for SQS one send,
 * one receive per invocation and one batched delete per ten messages; one SNS publish per object
 * written (S3's event to the topic).
 */
export function runCost(
  stages: Readonly<Record<StageName, StageFigures>>,
  memoryMb: Readonly<Record<StageName, number>>,
  fifo: Readonly<Record<StageName, boolean>>,
  s3Requests: Readonly<Record<string, number>>,
): RunCost {
  const entries = Object.entries(stages) as [StageName, StageFigures][];
  const lambdaCompute = entries.reduce(
    (sum, [stage, figures]) =>
      sum + figures.busySeconds * (memoryMb[stage] / 1024) * awsPrices.lambdaGbSecond,
    0,
  );
  const lambdaRequests =
    entries.reduce((sum, [, figures]) => sum + figures.invocations, 0) * awsPrices.lambdaRequest;
  const count = (...methods: string[]) => methods.reduce((sum, method) => sum + (s3Requests[method] ?? 0), 0);
  const s3 = count('PUT', 'POST', 'LIST') * awsPrices.s3Put + count('GET', 'HEAD') * awsPrices.s3Get;
  const sqs = entries.reduce((sum, [stage, figures]) => {
    const requests = figures.messages + figures.invocations + Math.ceil(figures.messages / 10);
    return sum + requests * (fifo[stage] ? awsPrices.sqsFifoRequest : awsPrices.sqsStandardRequest);
  }, 0);
  const sns = (stages.extract.objects + stages.transform.objects) * awsPrices.snsPublish;
  return {
    lambdaCompute,
    lambdaRequests,
    s3,
    sqs,
    sns,
    total: lambdaCompute + lambdaRequests + s3 + sqs + sns,
  };
}
