import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { RowContractError } from '../row-contract-error';

/**
 * Every staff member joined to their department, as dim_staff rows.
 *
 * `department_name` and `location` are kept as they are, 'Leds' included. Built from complete
 * snapshots of both tables, so a department change reaches all its staff. Throws
 * {@link RowContractError} for a department the snapshot does not hold, or one without a location
 * (dim_staff.location is NOT NULL): the staff row is quarantined.
 */
export function mapDimStaff(
  staff: readonly TotesysRow<'staff'>[],
  departments: readonly TotesysRow<'department'>[],
): OutputRow<'dim_staff'>[] {
  const byId = new Map(departments.map((department) => [department.department_id, department]));
  return staff.map((row) => {
    const department = byId.get(row.department_id);
    if (!department) {
      throw new RowContractError(
        `dim_staff: staff ${row.staff_id} has department_id ${row.department_id}, which the department snapshot does not hold`,
        'department_id',
        row.department_id,
      );
    }
    if (department.location === null) {
      throw new RowContractError(
        `dim_staff: department ${department.department_id} ("${department.department_name}") has no location, and dim_staff.location is NOT NULL`,
        'department_id',
        row.department_id,
      );
    }
    return {
      staff_id: row.staff_id,
      first_name: row.first_name,
      last_name: row.last_name,
      department_name: department.department_name,
      location: department.location,
      email_address: row.email_address,
    };
  });
}
