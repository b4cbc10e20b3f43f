/**
 * A digest of a request's rendered manifests (every file but its Application), recorded on the
 * Application. When a template changes, it tells whether the repository holds exactly what the
 * bot rendered at the previous template version, so the previous rendering is a true base for a
 * three-way merge. It identifies content, it does not protect it: anyone who can edit the files
 * can edit the annotation, and the upgrade pull request is reviewed either way.
 *
 * cyrb53 (two 32-bit multiply-xor lanes, 53 bits): pure and fast, no node:crypto in the core.
 */
export function renderedDigest(files: readonly { path: string; content: string }[]): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  };
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    feed(file.path);
    feed("\u0000");
    feed(file.content);
    feed("\u0000");
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}
