/**
 * True for the files Argo CD's directory applications apply: `.yaml`, `.yml` and `.json`, in any
 * letter case (Argo CD matches lower case only; reading more can only find more).
 * `.jsonnet` is a candidate too but is not read (see `SkipReason` `jsonnet`).
 */
export function isManifestPath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}
