// Reports the JavaScript and CSS the initial page load fetches (from dist/index.html), raw and gzip, and fails
// above the 300 KB gzip budget for JavaScript (issue 7).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf-8');
const refs = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let jsGzip = 0;
for (const ref of refs) {
  const bytes = readFileSync(join(dist, ref));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (ref.endsWith('.js')) jsGzip += gz;
  console.log(`${ref}\t${(bytes.length / 1024).toFixed(1)} KB raw\t${(gz / 1024).toFixed(1)} KB gzip`);
}
console.log(`initial JavaScript, gzip: ${(jsGzip / 1024).toFixed(1)} KB (budget 300 KB)`);
if (jsGzip > 300 * 1024) process.exit(1);
