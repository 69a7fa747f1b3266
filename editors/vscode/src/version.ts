/** The numeric parts of a version such as `0.1.0` or `1.2.3rc1` (a missing part counts as 0). */
function parts(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** Whether `version` (the server's `serverInfo.version`) is `minimum` or newer; unknown is not. */
export function isAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) {
    return false;
  }
  const have = parts(version);
  const need = parts(minimum);
  for (let index = 0; index < Math.max(have.length, need.length); index += 1) {
    const difference = (have[index] ?? 0) - (need[index] ?? 0);
    if (difference !== 0) {
      return difference > 0;
    }
  }
  return true;
}
