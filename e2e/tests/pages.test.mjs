// The app's pages in headless Chromium against the real backend with demo data: dashboard,
// projects table and project page, the liaison desk (status change, history, live updates,
// conflict), the chain view with enterprise and institution pages, and the network's
// filters, year slider, shortest path and keyboard use. Each test saves a screenshot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { distantPair, gql, signIn } from "./graphql.mjs";

const browser = useBrowser();

/** Asserts that the page does not scroll sideways (its wide parts scroll inside themselves). */
async function assertFitsWidth(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at ${page.viewportSize().width}px (${overflow}px too wide)`);
}

function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  return errors;
}

test("the dashboard's charts add up to the records", async () => {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  const { data } = await gql("{ projects { totalCount } trainingAggregate(groupBy: [YEAR]) { year trainees } }");
  await page.goto(base + "/");
  await page.locator("[data-testid=chart-ledger] div.chart-row .bar").first().waitFor({ timeout: 20_000 });
  const statusValues = await page.locator("[data-testid=chart-status] div.chart-row .bar").evaluateAll(
    (bars) => bars.map((bar) => Number(bar.dataset.value)),
  );
  assert.equal(statusValues.length, 7, "one bar per status of the state machine");
  assert.equal(statusValues.reduce((sum, value) => sum + value, 0), data.projects.totalCount);
  const training = await page.locator("[data-testid=chart-training] div.chart-row .bar").evaluateAll(
    (bars) => bars.map((bar) => Number(bar.dataset.value)),
  );
  const expected = data.trainingAggregate.sort((a, b) => a.year - b.year).map((row) => row.trainees);
  assert.deepEqual(training, expected);
  assert.ok(training.includes(3600), "2023's 3,600 trainees are drawn");
  // Entrepreneur training (企业家培训), years written as Chinese writes them.
  assert.match(await page.locator("[data-testid=chart-training] figcaption").innerText(), /企业家培训/);
  assert.ok((await page.locator("[data-testid=chart-training] .label").allInnerTexts()).includes("2023年（42期）"));

  // The chains add up to more than the projects (a project counts once per chain of its
  // enterprises): the chart says so with both figures.
  const chains = await page.locator("[data-testid=chart-chains] div.chart-row .bar").evaluateAll(
    (bars) => bars.map((bar) => Number(bar.dataset.value)),
  );
  const chainSum = chains.reduce((sum, value) => sum + value, 0);
  assert.ok(chainSum > data.projects.totalCount);
  const note = await page.locator("[data-testid=chart-chains] [data-testid=chart-note]").innerText();
  assert.ok(note.includes(chainSum.toLocaleString("en-US")) && note.includes(String(data.projects.totalCount)), note);

  // The source is Chinese, dated once; the provenance reads as words, not check marks, and
  // the rows do not overlap.
  const source = await page.locator("[data-testid=source]").innerText();
  assert.ok(source.includes("六安市人民政府办公室") && source.includes("2024年5月18日"), source);
  assert.ok(!/[A-Za-z]/.test(source) && !source.includes("2024-05-18"), source);
  const table = await page.locator("[data-testid=indicators]").innerText();
  assert.ok(!table.includes("✓") && table.includes("系统记录核对"), table);
  const rowBoxes = await page.locator("[data-testid=indicators] tbody tr").evaluateAll((rows) => rows.map((row) => {
    const box = row.getBoundingClientRect();
    const cells = [...row.children].map((cell) => cell.getBoundingClientRect());
    return { top: box.top, bottom: box.bottom, inside: cells.every((cell) => cell.top >= box.top - 0.5 && cell.bottom <= box.bottom + 0.5) };
  }));
  rowBoxes.forEach((row, index) => {
    assert.ok(row.inside, `row ${index}'s cells stay inside it`);
    if (index > 0) assert.ok(row.top >= rowBoxes[index - 1].bottom - 0.5, `row ${index} does not overlap the one above`);
  });

  // A chart row opens the matching project list.
  const suspendedBar = page.locator("[data-testid=chart-status] div.chart-row", { hasText: "已暂停" });
  const suspended = Number(await suspendedBar.locator(".bar").getAttribute("data-value"));
  await suspendedBar.locator("a").click();
  await page.waitForURL(/\/projects\?status=suspended/);
  await page.waitForFunction((count) => document.querySelector("[data-testid=project-total]")?.innerText.endsWith(String(count)), suspended);
  await page.goBack();
  await page.locator("[data-testid=chart-ledger] div.chart-row .bar").first().waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(screenshots, "dashboard.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  await assertFitsWidth(page);
  // Chart text stays legible on a phone (it was scaled down to about 6.5 px).
  const sizes = await page.locator("[data-testid=chart-chains] .chart-row .label, [data-testid=chart-chains] .value").evaluateAll(
    (list) => list.map((element) => parseFloat(getComputedStyle(element).fontSize) * (element.getBoundingClientRect().height > 0 ? 1 : 0)),
  );
  assert.ok(sizes.length > 0 && Math.min(...sizes) >= 12, `chart text at least 12 px (${Math.min(...sizes)})`);
  await page.screenshot({ path: join(screenshots, "dashboard-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("the projects table filters, sorts and pages through the URL, downloads its rows, and opens a project", async () => {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  const all = (await gql("{ projects { totalCount } }")).data.projects.totalCount;
  const suspended = (await gql("{ projects(filter: { status: { eq: SUSPENDED } }) { totalCount } }")).data.projects.totalCount;

  await page.goto(base + "/projects");
  const rows = page.locator("[data-testid=projects] tbody tr");
  await rows.nth(19).waitFor({ timeout: 20_000 });
  assert.equal(await rows.count(), 20);
  assert.match(await page.locator("[data-testid=project-total]").innerText(), new RegExp(`${all}$`));

  // Page forward twice and back once: the cursor lives in the URL, pages do not overlap.
  const firstPage = await rows.evaluateAll((list) => list.map((row) => row.dataset.id));
  await page.click("[data-testid=next-page]");
  await page.waitForURL(/after=/);
  await page.waitForFunction((first) => document.querySelector("[data-testid=projects] tbody tr")?.dataset.id !== first, firstPage[0]);
  const secondPage = await rows.evaluateAll((list) => list.map((row) => row.dataset.id));
  assert.equal(secondPage.filter((id) => firstPage.includes(id)).length, 0);
  await page.click("[data-testid=previous-page]");
  await page.waitForURL(/before=/);
  await page.waitForFunction((first) => document.querySelector("[data-testid=projects] tbody tr")?.dataset.id === first, firstPage[0]);
  assert.deepEqual(await rows.evaluateAll((list) => list.map((row) => row.dataset.id)), firstPage);

  // A status filter goes into the URL and the count follows the API.
  await page.selectOption("select[name=status]", "suspended");
  await page.waitForURL(/status=suspended/);
  await page.waitForFunction((count) => document.querySelector("[data-testid=project-total]")?.innerText.endsWith(String(count)), suspended);
  const statuses = await page.locator("[data-testid=projects] tbody [data-status]").evaluateAll((list) => list.map((badge) => badge.dataset.status));
  assert.ok(statuses.length > 0 && statuses.every((status) => status === "suspended"), statuses.join());

  // Sorting by title, ascending: the header says so and the rows are in order.
  await page.click("a[data-sort=title]");
  await page.waitForURL(/sort=title&dir=asc/);
  await page.locator("th[aria-sort=ascending] a[data-sort=title]").waitFor();
  assert.match(page.url(), /status=suspended/, "the filter stays");

  // The rows on screen as CSV.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=projects-csv]")]);
  const lines = readFileSync(await download.path(), "utf8").replace(/^\ufeff/, "").trim().split("\n");
  assert.equal(lines.length, 1 + Math.min(suspended, 20));
  assert.ok(lines.slice(1).every((line) => line.includes(",SUSPENDED,")), "codes as the API writes them");
  await page.screenshot({ path: join(screenshots, "projects.png"), fullPage: true });

  // A deep link reproduces the view; a project opens with participants and history.
  const link = page.url();
  const other = await browser().newPage();
  await other.goto(link);
  await other.locator("[data-testid=projects] tbody tr").first().waitFor({ timeout: 20_000 });
  const id = await other.locator("[data-testid=projects] tbody tr").first().getAttribute("data-id");
  await other.locator("[data-testid=projects] tbody tr a").first().click();
  await other.waitForURL(new RegExp(`/projects/${id}$`));
  await other.locator("[data-testid=history] li").first().waitFor({ timeout: 20_000 });
  const project = (await gql(
    `query ($id: ID!) { node(id: $id) { ... on Project { statusHistory { totalCount } enterprises { totalCount } institutions { totalCount } } } }`,
    { id },
  )).data.node;
  assert.equal(await other.locator("[data-testid=history] li").count(), project.statusHistory.totalCount);
  assert.equal(await other.locator("[data-testid=participants] li").count(), project.enterprises.totalCount + project.institutions.totalCount);
  assert.equal(await other.locator("[data-testid=history] li").last().getAttribute("data-to"), "suspended");
  await other.setViewportSize({ width: 390, height: 800 });
  await assertFitsWidth(other);
  await other.screenshot({ path: join(screenshots, "project-phone.png"), fullPage: true });
  await other.goBack();
  await other.locator("[data-testid=projects] tbody tr").first().waitFor({ timeout: 20_000 });
  await assertFitsWidth(other);
  await other.screenshot({ path: join(screenshots, "projects-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("a liaison signs in, changes a status with a note, sees it in the history, gets live updates and resolves a conflict", async () => {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  await page.goto(base + "/desk");
  await page.fill("[data-testid=login] input[name=username]", "liaison-wxu");
  await page.fill("[data-testid=login] input[name=password]", "wrong password");
  await page.click("[data-testid=login] button[type=submit]");
  await page.locator("[data-testid=login] .error", { hasText: "用户名或密码不正确" }).waitFor({ timeout: 10_000 });
  await page.fill("[data-testid=login] input[name=password]", "lianqiao-liaison-demo");
  await page.click("[data-testid=login] button[type=submit]");
  await page.locator("[data-testid=signed-in]").waitFor({ timeout: 10_000 });

  // The desk lists exactly the institution's projects.
  const liaison = await signIn("liaison-wxu", "lianqiao-liaison-demo");
  const institution = (await gql("{ me { institution { id } } }", {}, liaison)).data.me.institution.id;
  const mine = (await gql(
    "query ($id: ID!) { projects(filter: { hasInstitution: { id: { eq: $id } } }, first: 100) { totalCount nodes { id status } } }",
    { id: institution },
  )).data.projects;
  const list = page.locator("[data-testid=desk-projects] li");
  await list.nth(mine.totalCount - 1).waitFor({ timeout: 20_000 });
  assert.equal(await list.count(), mine.totalCount);

  // Open a project that can still move; the choices are the state machine's.
  const open = mine.nodes.find((project) => ["PROPOSED", "NEGOTIATING", "SIGNED", "IN_PROGRESS", "SUSPENDED"].includes(project.status));
  assert.ok(open, "the demo liaison has a project that can change");
  const item = page.locator(`[data-testid=desk-projects] li[data-id="${open.id}"]`);
  await item.locator("button").click();
  const panel = page.locator("[data-testid=desk-panel]");
  await panel.locator("[data-testid=change-status]").waitFor({ timeout: 20_000 });
  const before = (await gql(
    "query ($id: ID!) { node(id: $id) { ... on Project { version nextStatuses statusHistory { totalCount } } } }",
    { id: open.id },
  )).data.node;
  const choices = await panel.locator("input[type=radio]").evaluateAll((inputs) => inputs.map((input) => input.value));
  assert.deepEqual(choices, before.nextStatuses.map((status) => status.toLowerCase()));
  assert.equal(await panel.locator("[data-testid=desk-version]").getAttribute("data-version"), String(before.version));
  // Plain words: no "version N", full-width colons.
  const words = await panel.innerText();
  assert.ok(!words.includes("版本") && !words.includes("状态: ") && !words.includes("状态机"), words);

  // Change it with a note: the version goes up and the history shows the note.
  await panel.locator("input[type=radio]").first().check();
  await panel.locator("textarea[name=note]").fill("端到端测试：联络员变更");
  await panel.locator("[data-testid=change-status] button[type=submit]").click();
  await panel.locator(`[data-testid=desk-version][data-version="${before.version + 1}"]`).waitFor({ timeout: 20_000 });
  const history = panel.locator("[data-testid=history] li");
  assert.equal(await history.count(), before.statusHistory.totalCount + 1);
  assert.equal(await history.last().getAttribute("data-to"), choices[0]);
  assert.match(await history.last().innerText(), /端到端测试：联络员变更/);
  const me = (await gql("{ me { displayName } }", {}, liaison)).data.me.displayName;
  assert.ok((await history.last().innerText()).includes(me), "the history names people by their display names");
  await item.locator(`[data-status=${choices[0]}]`).waitFor({ timeout: 10_000 });
  // The liaison's own change is not announced to them as someone else's.
  await page.waitForTimeout(1_000);
  assert.equal(await page.locator("[data-testid=live-notice] .notice").count(), 0, "no notice of one's own change");
  await page.screenshot({ path: join(screenshots, "desk-changed.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  await assertFitsWidth(page);
  await page.screenshot({ path: join(screenshots, "desk-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Someone else (an administrator) moves the same project: the desk hears it live.
  const admin = await signIn("admin", "lianqiao-admin-demo");
  const now = (await gql("query ($id: ID!) { node(id: $id) { ... on Project { version nextStatuses } } }", { id: open.id }, admin)).data.node;
  // A status the project can still move on from, so that the liaison's form stays.
  const theirs = now.nextStatuses.find((status) => !["TERMINATED", "COMPLETED"].includes(status)) ?? now.nextStatuses[0];
  const { data: changed } = await gql(
    `mutation ($input: UpdateProjectStatusInput!) { updateProjectStatus(input: $input) { __typename } }`,
    { input: { projectId: open.id, status: theirs, note: "管理员的说明", expectedVersion: now.version } },
    admin,
  );
  assert.equal(changed.updateProjectStatus.__typename, "ProjectUpdated");
  const notice = page.locator("[data-testid=live-notice] .notice").first();
  await notice.waitFor({ timeout: 15_000 });
  assert.match(await notice.innerText(), /演示管理员/, "the notice names who changed it");
  await item.locator(`[data-status=${theirs.toLowerCase()}]`).waitFor({ timeout: 10_000 });
  await panel.locator("[data-testid=stale-notice] [data-testid=stale-reload]").waitFor({ timeout: 10_000 });
  await notice.locator("[data-testid=dismiss-notice]").click();
  assert.equal(await page.locator("[data-testid=live-notice] .notice").count(), 0, "a notice can be dismissed");

  // The liaison's next change was based on the old version: a conflict, then resolved; the
  // note they typed survives loading the current version.
  await panel.locator("input[type=radio]").first().check();
  await panel.locator("textarea[name=note]").fill("联络员的第二条备注");
  await panel.locator("[data-testid=change-status] button[type=submit]").click();
  const dialog = page.locator("[data-testid=conflict]");
  await dialog.waitFor({ timeout: 10_000 });
  assert.match(await dialog.innerText(), /演示管理员/, "the display name, not the username");
  assert.match(await dialog.locator("[data-testid=conflict-note]").innerText(), /管理员的说明/);
  await page.screenshot({ path: join(screenshots, "desk-conflict.png"), fullPage: true });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "conflict-reload", "the dialog takes the focus");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached", timeout: 10_000 });
  await panel.locator(`[data-testid=desk-version][data-version="${now.version + 1}"]`).waitFor({ timeout: 10_000 });
  assert.equal(await panel.locator("textarea[name=note]").inputValue(), "联络员的第二条备注", "the typed note is kept");
  assert.equal(await panel.locator("[data-testid=desk-status] [data-status]").getAttribute("data-status"), theirs.toLowerCase());
  const after = (await gql("query ($id: ID!) { node(id: $id) { ... on Project { version statusHistory { totalCount } } } }", { id: open.id })).data.node;
  assert.equal(after.version, now.version + 1, "the conflicting change was not applied");
  assert.equal(await panel.locator("[data-testid=history] li").count(), after.statusHistory.totalCount);
  assert.deepEqual(errors.filter((error) => !/401|403/.test(error)), []);
});

test("a chain view shows its segments in lanes with coverage, gaps and suggested partners, and links to enterprises and institutions", async () => {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  const chains = (await gql("{ industryChains { nodes { id nameZh } } }")).data.industryChains.nodes;
  const chain = (await gql(
    `query ($id: ID!) { industryChain(id: $id) { segments { id stage } analysis { segments { segmentId enterpriseCount coveredEnterpriseCount } gaps { segmentId suggestions { institutionId } } } } }`,
    { id: chains[0].id },
  )).data.industryChain;

  await page.goto(base + "/chains");
  await page.locator("[data-testid=chains] li").nth(chains.length - 1).waitFor({ timeout: 20_000 });
  await page.locator("[data-testid=chains] a", { hasText: chains[0].nameZh }).click();
  await page.waitForURL(new RegExp(`/chains/${chains[0].id}$`));
  const cards = page.locator("[data-testid=segment]");
  await cards.nth(chain.segments.length - 1).waitFor({ timeout: 20_000 });
  assert.equal(await cards.count(), chain.segments.length);
  // Lanes run upstream → midstream → downstream, each card in its stage's lane.
  assert.deepEqual(await page.locator(".lane").evaluateAll((lanes) => lanes.map((lane) => lane.dataset.stage)), ["upstream", "midstream", "downstream"]);
  for (const stage of ["upstream", "midstream", "downstream"]) {
    assert.equal(await page.locator(`.lane[data-stage=${stage}] [data-testid=segment]`).count(), chain.segments.filter((segment) => segment.stage === stage.toUpperCase()).length);
  }
  // Coverage per segment as the API counts it; gaps are marked and carry suggestions.
  const covered = await page.locator(".coverage-line").evaluateAll((lines) => lines.map((line) => [Number(line.dataset.covered), Number(line.dataset.total)]));
  const expected = chain.analysis.segments.map((segment) => [segment.coveredEnterpriseCount, segment.enterpriseCount]);
  assert.deepEqual(covered.sort(), expected.sort());
  assert.equal(await page.locator("[data-testid=segment].gap").count(), chain.analysis.gaps.length);
  assert.equal(await page.locator("[data-testid=suggestions] li").count(), chain.analysis.gaps.reduce((sum, gap) => sum + gap.suggestions.length, 0));
  assert.ok(await page.locator("[data-testid=chain-diagram] .edges path").count() > 0, "institutions are drawn as edges to segments");
  await page.screenshot({ path: join(screenshots, "chain.png"), fullPage: true });

  // An enterprise of the chain opens its page; a partner there opens the institution's.
  const enterprise = page.locator("[data-testid=segment] a.chip.enterprise").first();
  const name = await enterprise.innerText();
  await enterprise.click();
  await page.locator("[data-testid=enterprise] h2", { hasText: name }).waitFor({ timeout: 20_000 });
  const id = decodeURIComponent(page.url().split("/enterprises/")[1]);
  const api = (await gql("query ($id: ID!) { enterprise(id: $id) { projectCount } neighbours(nodeId: $id) { weight } }", { id })).data;
  assert.equal(await page.locator("[data-testid=entity-projects] li").count(), api.enterprise.projectCount);
  assert.equal(await page.locator("[data-testid=entity-partners] li").count(), api.neighbours.length);
  await page.screenshot({ path: join(screenshots, "enterprise.png"), fullPage: true });
  const partner = page.locator("[data-testid=entity-partners] a.chip.institution").first();
  if (await partner.count()) {
    await partner.click();
    await page.locator("[data-testid=institution] [data-testid=entity-projects]").waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(screenshots, "institution.png"), fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goBack();
  await page.goBack();
  await cards.first().waitFor({ timeout: 20_000 });
  await assertFitsWidth(page);
  await page.screenshot({ path: join(screenshots, "chain-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("network filters live in the URL, the year slider narrows the network, and two nodes show their shortest path", async () => {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  const count = async (filter) => (await gql("query ($f: GraphFilter) { cooperationGraph(filter: $f) { nodeCount } }", { f: filter })).data.cooperationGraph.nodeCount;
  const canvas = page.locator("canvas[data-testid=network]");

  await page.goto(base + "/network?status=in_progress");
  const inProgress = await count({ status: { eq: "IN_PROGRESS" } });
  await page.locator(`canvas[data-testid=network][data-nodes="${inProgress}"]`).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator("[data-testid=network-filters] select[name=status]").inputValue(), "in_progress");

  // The slider keeps projects that started up to its year.
  const upTo2021 = await count({ status: { eq: "IN_PROGRESS" }, startYear: { lte: 2021 } });
  // As a released drag does: the value changes, then a change event.
  await page.locator("[data-testid=year-slider]").evaluate((slider) => {
    slider.value = "2021";
    slider.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await page.waitForURL(/status=in_progress&to=2021/);
  await page.locator(`canvas[data-testid=network][data-nodes="${upTo2021}"]`).waitFor({ timeout: 30_000 });
  assert.ok(upTo2021 < inProgress);
  await page.screenshot({ path: join(screenshots, "network-filtered.png") });

  // A shortest path between an enterprise and an institution three or more hops apart.
  const { enterprise, target, length: expected } = await distantPair();
  await page.goto(base + "/network");
  await canvas.waitFor({ timeout: 30_000 });
  await page.fill("#network-search", enterprise.name);
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=path-start]").click();
  await page.fill("#network-search", target.name);
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=node-panel] .node-name", { hasText: target.name }).waitFor({ timeout: 10_000 });
  await page.locator("[data-testid=path-find]").click();
  const steps = page.locator("[data-testid=path] > li");
  await steps.first().waitFor({ timeout: 10_000 });
  assert.equal(await steps.count(), expected + 1);
  assert.equal(await steps.first().locator("> a").innerText(), enterprise.name);
  assert.equal(await steps.last().locator("> a").innerText(), target.name);
  await page.screenshot({ path: join(screenshots, "network-path.png") });
  await page.setViewportSize({ width: 390, height: 800 });
  await assertFitsWidth(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  // The canvas is keyboard-usable: focus it, zoom in with +, out with −.
  await canvas.focus();
  const start = Number(await canvas.getAttribute("data-scale"));
  await page.keyboard.press("+");
  const zoomed = Number(await canvas.getAttribute("data-scale"));
  assert.ok(zoomed > start, `plus zooms in (${start} → ${zoomed})`);
  await page.keyboard.press("-");
  await page.keyboard.press("-");
  assert.ok(Number(await canvas.getAttribute("data-scale")) < zoomed, "minus zooms out");

  assert.deepEqual(errors, []);
});
