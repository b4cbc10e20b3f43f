import type { FileSource } from "../ports.js";

/** Files are read a few at a time: enough to overlap I/O, few enough to stay polite to an API. */
const READ_CONCURRENCY = 16;

/** Reads the files in order, a few at a time; files that cannot be read are left out. */
export async function readTexts(source: FileSource, paths: readonly string[]): Promise<{ path: string; text: string }[]> {
  const texts: (string | null)[] = new Array<string | null>(paths.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      texts[index] = await source.readFile(paths[index] ?? "");
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return paths.flatMap((path, index) => {
    const text = texts[index];
    return text === null || text === undefined ? [] : [{ path, text }];
  });
}
