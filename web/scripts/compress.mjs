// Pre-compresses the build (the core serves foo.js.gz to clients that accept gzip) and
// prints the size of the initial load: index.html plus what it references (entry script,
// its statically imported chunks, stylesheets), raw and gzipped.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const root = new URL('../target/classes/webroot/', import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const gz = new Map();
for (const file of walk(root)) {
  if (!COMPRESSIBLE.test(file) || file.endsWith('.gz')) continue;
  const raw = readFileSync(file);
  const packed = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
  gz.set(relative(root, file), { raw: raw.length, gz: packed.length });
  if (packed.length < raw.length * 0.9) writeFileSync(`${file}.gz`, packed);
}

// The initial load: index.html, then every script/style it links, then their static imports.
const html = readFileSync(join(root, 'index.html'), 'utf8');
const queue = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const seen = new Set(['index.html']);
while (queue.length) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  if (file.endsWith('.js')) {
    const code = readFileSync(join(root, file), 'utf8');
    // Static imports only (`import"./x.js"`, `from"./x.js"`); dynamic import() chunks load later.
    for (const m of code.matchAll(/(?:^|[;\s}])(?:import|from)\s*["']\.\/([^"']+\.js)["']/g)) {
      queue.push(join(file, '..', m[1]).replace(/^\.\//, ''));
    }
  }
}
let raw = 0;
let packed = 0;
for (const f of seen) {
  const s = gz.get(f);
  if (s) {
    raw += s.raw;
    packed += s.gz;
  }
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `[fleetgate-web] initial load: ${seen.size} files, ${kb(raw)} KiB raw, ${kb(packed)} KiB gzip (${[...seen].join(', ')})`,
);
const all = [...gz.values()].reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz }), { raw: 0, gz: 0 });
console.log(`[fleetgate-web] whole app: ${gz.size} files, ${kb(all.raw)} KiB raw, ${kb(all.gz)} KiB gzip`);
