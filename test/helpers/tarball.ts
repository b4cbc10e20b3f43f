/**
 * Builds gzipped tar archives the way `git archive` (and so GitHub's tarball download) writes them:
 * a global pax header with the commit, a top folder `owner-repo-sha/`, pax `path` records for long
 * names. `usePrefix` stores a long name in the ustar prefix field instead, as other tools do.
 */
import { gzipSync } from "node:zlib";

function pax(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`);
}

function header(params: { name: string; type: string; size: number; prefix?: string }): Buffer {
  const block = Buffer.alloc(512);
  const put = (offset: number, length: number, text: string) => block.write(text.slice(0, length), offset, "utf8");
  put(0, 100, params.name);
  put(100, 8, "0000644\0");
  put(108, 8, "0000000\0");
  put(116, 8, "0000000\0");
  put(124, 12, `${params.size.toString(8).padStart(11, "0")}\0`);
  put(136, 12, "00000000000\0");
  put(148, 8, "        ");
  put(156, 1, params.type);
  put(257, 6, "ustar\0");
  put(263, 2, "00");
  if (params.prefix) put(345, 155, params.prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

function entry(params: { name: string; type: string; data: Buffer; prefix?: string }): Buffer[] {
  const padding = Buffer.alloc((512 - (params.data.length % 512)) % 512);
  return [
    header({ name: params.name, type: params.type, size: params.data.length, ...(params.prefix ? { prefix: params.prefix } : {}) }),
    params.data,
    padding,
  ];
}

export function makeTarball(
  files: readonly { path: string; content: string }[],
  options: { top?: string; usePrefix?: boolean } = {},
): Buffer {
  const top = options.top ?? "acme-gitops-feed000";
  const blocks: Buffer[] = [
    ...entry({ name: "pax_global_header", type: "g", data: pax("comment", "feed000000000000000000000000000000000001") }),
  ];
  blocks.push(...entry({ name: `${top}/`, type: "5", data: Buffer.alloc(0) }));
  for (const file of files) {
    const name = `${top}/${file.path}`;
    const data = Buffer.from(file.content, "utf8");
    if (Buffer.byteLength(name) <= 100) blocks.push(...entry({ name, type: "0", data }));
    else if (options.usePrefix) {
      const cut = name.lastIndexOf("/", 155);
      blocks.push(...entry({ name: name.slice(cut + 1), prefix: name.slice(0, cut), type: "0", data }));
    } else {
      blocks.push(...entry({ name: "pax", type: "x", data: pax("path", name) }));
      blocks.push(...entry({ name: name.slice(0, 100), type: "0", data }));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
