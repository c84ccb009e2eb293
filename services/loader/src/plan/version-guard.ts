/**
 * What a dimension rebuilt from snapshots was built from.
 *
 * The snapshot version of each input (`<takenAt>-<hash>`, as in the snapshot keys) and the
 * generation of the processed object.
 */
export interface DimensionVersion {
  readonly versions: Readonly<Record<string, string>>;
  readonly generation: number;
}

/** Whether an object may overwrite a dimension, and if not, why. */
export type GuardDecision = { readonly apply: true } | { readonly apply: false; readonly reason: string };

const takenAtOf = (version: string) => /^(\d{8}T\d{9})-/.exec(version)?.[1];

/**
 * The version guard of a dimension rebuilt whole.
 *
 * An object built from an older snapshot of any of its inputs than the one loaded is refused,
 * whatever order the events arrived in. Snapshots are compared per input by the time they were
 * taken (a dimension with two inputs, such as dim_staff = staff ⋈ department, is refused when
 * either input is older, even if the other is newer: an object built later from the latest
 * snapshots will carry both). When every input is the same snapshot, a higher generation (a
 * deliberate reprocess) wins and a lower one is refused.
 */
export function versionGuard(
  loaded: DimensionVersion | undefined,
  incoming: DimensionVersion,
): GuardDecision {
  if (!loaded) return { apply: true };
  let allSame = true;
  for (const [input, version] of Object.entries(incoming.versions)) {
    const previous = loaded.versions[input];
    if (previous === undefined) {
      allSame = false;
      continue;
    }
    const before = takenAtOf(previous) ?? previous;
    const now = takenAtOf(version) ?? version;
    if (now < before) {
      return {
        apply: false,
        reason: `its ${input} snapshot ${version} is older than the loaded ${previous}`,
      };
    }
    if (now > before) allSame = false;
  }
  if (allSame && incoming.generation < loaded.generation) {
    return {
      apply: false,
      reason: `it is generation ${incoming.generation} of the same snapshots, generation ${loaded.generation} is loaded`,
    };
  }
  return { apply: true };
}
