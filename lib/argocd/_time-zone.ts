// Which time zone names Argo CD v3.5.1 knows: Go's time.LoadLocation over the tz database of its
// image (used by the sync window validation and evaluation).

let canonicalZones: Map<string, string> | undefined;

/**
 * Whether Go's `time.LoadLocation` (over the tz database Argo CD's image installs) knows a zone:
 * `''`, `UTC` and `Local` always; otherwise a name of the tz database, spelled with its exact
 * case (Go opens a file of that name; `europe/berlin` is unknown to it though JavaScript accepts it).
 */
export function goKnowsTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) || zone.includes('..') || zone.endsWith('/')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (!canonicalZones) {
    canonicalZones = new Map();
    for (const z of [...Intl.supportedValuesOf('timeZone'), 'UTC']) canonicalZones.set(z.toLowerCase(), z);
  }
  const canonical = canonicalZones.get(zone.toLowerCase());
  return canonical === undefined || canonical === zone;
}
