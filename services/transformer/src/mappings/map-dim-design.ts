import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';

/** Every design as dim_design rows. */
export function mapDimDesign(designs: readonly TotesysRow<'design'>[]): OutputRow<'dim_design'>[] {
  return designs.map((row) => ({
    design_id: row.design_id,
    design_name: row.design_name,
    file_location: row.file_location,
    file_name: row.file_name,
  }));
}
