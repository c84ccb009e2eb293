import { processedKey, processedMetadata } from '@totes/pipeline';
import type { CalendarRange } from './mappings/calendar-range';
import { calendarRows } from './mappings/calendar-rows';
import { parquetChunks } from './parquet/parquet-chunks';
import { parquetColumns } from './parquet/parquet-columns';
import { putAllOrNothing } from './put-all-or-nothing';
import type { TransformOutcome } from './transform-outcome';
import type { TransformStores } from './transform-stores';

/**
 * Writes dim_date for a range of days as one Parquet object keyed by the range.
 *
 * So asking again writes nothing, and a later range extends the calendar beside it.
 */
export async function writeCalendar(
  stores: Pick<TransformStores, 'processed'>,
  request: { readonly range: CalendarRange; readonly generation: number },
): Promise<TransformOutcome> {
  const { range, generation } = request;
  const compact = (date: string) => date.replaceAll('-', '');
  const target = 'dim_date';
  const outputKey = processedKey({
    kind: 'calendar',
    target,
    generation,
    from: compact(range.from),
    to: compact(range.to),
  });
  if (await stores.processed.head(outputKey)) return { status: 'exists', target, inputKeys: [], outputKey };
  const rows = calendarRows(range.from, range.to);
  const parquet = parquetChunks(parquetColumns(target), [rows], {
    metadata: () => processedMetadata({ sources: [], rows: rows.length }),
  });
  await putAllOrNothing(stores.processed, outputKey, parquet);
  return {
    status: 'written',
    target,
    inputKeys: [],
    outputKey,
    rowsIn: 0,
    rowsOut: rows.length,
    rowsQuarantined: 0,
  };
}
