/**
 * Folders that hold a Helm chart's `Chart.yaml`, spelled exactly so: Argo CD detects a Helm
 * application by that exact name, so `chart.yml` or `Chart.yml` make no chart and hide nothing.
 * "" stands for the root. Whether Argo CD renders the folder with Helm also depends on an
 * Application pointing at it (see `applicationSourcePaths`).
 */
export function findHelmChartFolders(paths: readonly string[]): string[] {
  const folders: string[] = [];
  for (const path of paths) {
    if (path === "Chart.yaml") folders.push("");
    else if (path.endsWith("/Chart.yaml")) folders.push(path.slice(0, -"/Chart.yaml".length));
  }
  return folders;
}
