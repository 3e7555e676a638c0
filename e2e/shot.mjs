// Dev helper (not a test): node e2e/shot.mjs URL OUT.png [width] [waitSelector]
import { launch } from "./tests/chromium.mjs";
const [url, out, width = "1280", wait] = process.argv.slice(2);
const context = await launch({ viewport: { width: Number(width), height: 800 } });
const page = await context.newPage();
page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
page.on("pageerror", (e) => console.log("pageerror:", String(e)));
await page.goto(url);
if (wait) await page.locator(wait).first().waitFor({ timeout: 15000 });
await page.waitForTimeout(1000);
await page.screenshot({ path: out, fullPage: true });
await context.close();
