// Installs the end-to-end tools (`npm ci`) unless node_modules already matches package-lock.json. Run by
// `mvn verify` before the integration tests (examples/server, exec-maven-plugin, pre-integration-test), and by
// hand with `node install.mjs`. Uses only Node's built-ins: it runs before anything is installed.
//
// Up to date means: npm's record of the installed tree (node_modules/.package-lock.json) is there, and the stamp
// this script writes after a successful `npm ci` holds the SHA-256 of the package-lock.json it installed. `npm ci`
// starts by deleting node_modules, stamp included, so a failed install is never taken for a good one.
// Usage: node install.mjs [--skip-tests=true]   (true: the tests are skipped, so nothing is installed)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const lockFile = join(dir, 'package-lock.json');
const npmTree = join(dir, 'node_modules', '.package-lock.json');
const stamp = join(dir, 'node_modules', '.cskit-package-lock.sha256');

if (process.argv.includes('--skip-tests=true')) {
  console.log('e2e: tests skipped, not installing');
  process.exit(0);
}

const want = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
const have = existsSync(npmTree) && existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;
if (have === want) {
  console.log(`e2e: node_modules is up to date with package-lock.json (sha256 ${want.slice(0, 12)}…)`);
  process.exit(0);
}

console.log(`e2e: ${have ? 'package-lock.json changed' : 'node_modules is missing or was not installed from this package-lock.json'}`
  + ': npm ci --no-audit --no-fund');
const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
if (npm.error) {
  console.error(`e2e: cannot run npm (${npm.error.message}): install Node 20+ with npm (see the README's prerequisites)`);
  process.exit(1);
}
if (npm.status !== 0) {
  console.error(`e2e: npm ci failed (exit ${npm.status ?? npm.signal})`);
  process.exit(npm.status || 1);
}
writeFileSync(stamp, want + '\n');
console.log(`e2e: installed (sha256 ${want.slice(0, 12)}…)`);
