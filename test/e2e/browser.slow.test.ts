/**
 * A compiled model bundle in a real browser: headless Chromium loads a page that imports the
 * bundle, samples with Web Workers (the bundle is the worker script) and posts the summary back.
 * Skipped, with a message, where Debian's chromium is not installed (CI installs it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileModelFile } from "../../src/driver/compile";
import { ROOT, tempDir } from "../bundle/helpers";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (!CHROMIUM) console.warn("test/e2e/browser.slow.test.ts: skipped — no Chromium at /usr/bin/chromium (apt-get install -y chromium).");

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>stan2ts bundle in a browser</title>
<script type="module">
  let workersCreated = 0;
  const NativeWorker = globalThis.Worker;
  globalThis.Worker = class extends NativeWorker {
    constructor(...args) { super(...args); workersCreated++; }
  };
  const post = (body) => fetch("/result", { method: "POST", body: JSON.stringify(body) });
  try {
    const { model } = await import("./eight_schools_noncentered.js");
    const data = await (await fetch("./data.json")).json();
    const fit = await model.sample(data, { chains: 2, cores: 2, warmup: 150, samples: 100, seed: 5 });
    await post({ summary: fit.summary(), workersCreated, draws: Array.from(fit.draws("mu")).slice(0, 5) });
  } catch (e) {
    await post({ error: String(e && e.stack || e) });
  }
</script>`;

let server: Server | undefined;
let browser: ChildProcess | undefined;

function killBrowser(): void {
  if (browser?.pid !== undefined && browser.exitCode === null) {
    try {
      process.kill(-browser.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

afterAll(() => {
  killBrowser();
  server?.close();
});

describe.skipIf(!CHROMIUM)("model bundle in headless Chromium", () => {
  it("samples in Web Workers and reports the summary", async () => {
    const dir = tempDir("browser");
    const compiled = await compileModelFile(join(ROOT, "fixtures/stan/good/eight_schools_noncentered.stan"), { outDir: dir });
    const files: Record<string, { type: string; body: Buffer | string }> = {
      "/index.html": { type: "text/html", body: PAGE },
      "/eight_schools_noncentered.js": { type: "text/javascript", body: readFileSync(compiled.jsPath) },
      "/data.json": { type: "application/json", body: readFileSync(join(ROOT, "fixtures/data/eight_schools_noncentered.data.json")) },
    };
    const result = new Promise<{ summary?: string; error?: string; workersCreated?: number; draws?: number[] }>((resolve) => {
      server = createServer((req, res) => {
        if (req.method === "POST" && req.url === "/result") {
          let body = "";
          req.on("data", (chunk: Buffer) => (body += chunk.toString()));
          req.on("end", () => {
            res.end("ok");
            resolve(JSON.parse(body) as { summary?: string; error?: string });
          });
          return;
        }
        const file = files[req.url ?? ""];
        if (!file) {
          res.writeHead(404);
          res.end();
          return;
        }
        res.writeHead(200, { "content-type": file.type });
        res.end(file.body);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/index.html`;
    browser = spawn(
      CHROMIUM!,
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage", `--user-data-dir=${tempDir("chromium-profile")}`, url],
      // Its own process group, so the renderer and GPU helpers it starts go away with it.
      { stdio: "ignore", detached: true },
    );
    const outcome = await result;
    killBrowser();
    expect(outcome.error).toBeUndefined();
    expect(outcome.workersCreated).toBe(2);
    expect(outcome.summary).toMatch(/^Inference for Stan model: eight_schools_noncentered\n2 chains: each with iter=100; warmup=150; thin=1; 200 iterations saved\./);
    expect(outcome.summary).toMatch(/^mu\s+-?\d/m);
    expect(outcome.summary).toMatch(/^theta\[8\]\s/m);
    expect(outcome.draws).toHaveLength(5);
  }, 90_000);
});
