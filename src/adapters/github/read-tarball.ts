import { gunzipSync } from "node:zlib";

const BLOCK = 512;

/** Archives larger than this unpacked are not read: the caller falls back to reading blobs. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** The archive unpacks to more than {@link MAX_ARCHIVE_BYTES}. */
export class ArchiveTooLargeError extends Error {}

function field(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString("utf8", offset, end === -1 || end > offset + length ? offset + length : end);
}

/** pax records are `<length> <key>=<value>\n`; only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  let offset = 0;
  let path: string | undefined;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.toString("utf8", offset, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.toString("utf8", space + 1, offset + length - 1);
    if (record.startsWith("path=")) path = record.slice("path=".length);
    offset += length;
  }
  return path;
}

/**
 * The regular files of a gzipped tar archive as GitHub serves a commit (`GET .../tarball/{ref}`),
 * as raw bytes (an archive may differ from the commit: the caller compares blob hashes):
 * paths without the archive's top folder (`owner-repo-sha/`), keeping only those `wanted` accepts.
 * Reads ustar names with their prefix, pax `path` records and GNU long names, which is what git
 * archive writes for long paths; links, folders and global headers are skipped.
 */
export function readTarball(
  gzipped: Uint8Array,
  wanted: (path: string) => boolean,
  maxBytes: number = MAX_ARCHIVE_BYTES,
): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(gzipped, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) throw new ArchiveTooLargeError(`the archive unpacks to more than ${maxBytes} bytes`, { cause: error });
    throw error;
  }
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type !== "0" && type !== "\0") continue;
    const path = name.slice(name.indexOf("/") + 1);
    if (wanted(path)) files.set(path, Buffer.from(data));
  }
  return files;
}
