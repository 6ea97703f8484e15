/**
 * Opens a generated report in headless Chromium (Debian's `chromium` package): no console
 * messages (so no script errors), every inline plot laid out with a non-empty box, and a
 * screenshot is produced. Skipped where /usr/bin/chromium is not installed.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readFitDir } from "../../src/views/fitDir";
import { buildPosteriorReport } from "../../src/views/posteriorReport";
import { writeSyntheticFit } from "./syntheticFit";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const title = haveChromium
  ? "report in headless Chromium"
  : "report in headless Chromium (SKIPPED: /usr/bin/chromium is not installed; `apt-get install chromium` enables this check)";

function chromium(...args: string[]) {
  return spawnSync(
    CHROMIUM,
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--enable-logging=stderr", "--v=0", ...args],
    { encoding: "utf8", timeout: 60_000 },
  );
}

describe.skipIf(!haveChromium)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), "stan2ts-browser-"));

  it("renders every plot with no console errors, and screenshots", async () => {
    writeSyntheticFit(join(dir, "fit"), { brms: true });
    const page = join(dir, "report.html");
    writeFileSync(page, await buildPosteriorReport(readFitDir(join(dir, "fit"))));
    const url = pathToFileURL(page).href;

    const dom = chromium("--dump-dom", url);
    expect(dom.status, dom.stderr).toBe(0);
    const consoleLines = dom.stderr.split("\n").filter((l) => /:CONSOLE[:(]/.test(l));
    expect(consoleLines).toEqual([]);
    const body = /<body data-plots="(\d+)" data-plots-rendered="(\d+)"/.exec(dom.stdout);
    expect(body, "the page's load handler did not run").not.toBeNull();
    const [total, rendered] = [Number(body![1]), Number(body![2])];
    expect(total).toBe(9);
    expect(rendered).toBe(total);

    const shot = join(dir, "report.png");
    const screenshot = chromium("--hide-scrollbars", "--window-size=1200,2400", `--screenshot=${shot}`, url);
    expect(screenshot.status, screenshot.stderr).toBe(0);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.length).toBeGreaterThan(50_000); // a blank 1200×2400 page compresses to a few kB
  }, 120_000);
});
