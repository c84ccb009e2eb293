import { SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  compactTimestampOf,
  type ExtractRequest,
  extractMessage,
  isSourceTableName,
  isWarehouseTableName,
  type SourceTableName,
  warehouseTables,
} from '@totes/pipeline';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput } from '../output';
import { connectStack } from '../stack/stack-connection';

/** The source tables to re-extract for a table name: itself, or a warehouse table's inputs. */
function sourcesOf(table: string): readonly SourceTableName[] {
  if (isSourceTableName(table)) return [table];
  if (isWarehouseTableName(table)) return warehouseTables[table].inputs as readonly SourceTableName[];
  throw new CliError(`"${table}" is neither a source nor a warehouse table of the topology`, 2);
}

/** `totes reprocess`: re-extract a table from the source, and so rebuild everything downstream. */
export function reprocessCommand(program: Command): void {
  stackOptions(
    program
      .command('reprocess')
      .description(
        're-extract a table from totesys (a `full` request); transform and load follow, and rows the warehouse already holds are kept once',
      )
      .argument('<table>', 'a source table, or a warehouse table (its inputs are re-extracted)'),
  ).action(async (table: string, options: StackOptions) => {
    const output = createOutput(options.json === true);
    const sources = sourcesOf(table);
    if (sources.length === 0) {
      throw new CliError(`${table} is generated, not extracted: nothing to reprocess from the source`, 2);
    }
    const connection = await connectStack(dataDirOf(options.dataDir), databaseUrls(options));
    try {
      const requestedAt = new Date();
      const run = compactTimestampOf(requestedAt);
      const requests: ExtractRequest[] = sources.map((source) => ({
        mode: 'full',
        table: source,
        run,
        requestedAt: requestedAt.toISOString(),
      }));
      for (const request of requests) {
        await connection.clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: connection.queueUrl(
              connection.resources.queues.find((q) => q.stage === 'extract' && q.table === request.table)
                ?.name ?? '',
            ),
            ...extractMessage(request, `reprocess-${request.table}-${run}`),
          }),
        );
      }
      output.say(
        `Asked for a full re-extraction of ${sources.join(', ')} (run ${run})${connection.running ? '; the running stack is on it' : '; the next `totes up` or `totes sync` runs it'}.`,
      );
      output.result({ tables: sources, run });
    } finally {
      await connection.close();
    }
  });
}
