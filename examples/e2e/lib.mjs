// Shared helpers for the end-to-end scripts: REST calls with the cskit envelope, and a Chromium launcher
// with the flags this machine needs (Debian's chromium; its own downloads and background traffic fail here).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1]?.startsWith('--') ? 'true' : argv[++i];
  }
  return out;
}

export function client(base, adminToken) {
  return async function api(method, path, body, token) {
    const auth = token ?? adminToken;
    const res = await fetch(base + '/customer-service' + path, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: 'Bearer ' + auth } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const env = await res.json();
    if (env.code !== 0) throw new Error(`${method} ${path} -> ${res.status} ${env.message}`);
    return env.data;
  };
}

export async function launchChromium() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cskit-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'],
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

export function finish(result, closers = []) {
  return Promise.all(closers.map((c) => c().catch(() => {}))).then(() => {
    console.log(JSON.stringify(result));
    process.exit(result.ok ? 0 : 1);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
