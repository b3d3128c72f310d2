'use strict';

// Drives n8n's editor in headless Chromium to the views the README shows.
const fs = require('node:fs');

const CHROMIUM_PATH = process.env.NOVA_CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling Google services, which a
// closed network refuses, and start-up waits on them.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const VIEWPORT_WIDTH_PX = 1280;
const DEFAULT_VIEWPORT_HEIGHT_PX = 800;
// Twice the CSS pixels, so text stays sharp when GitHub scales the picture down.
const DEVICE_SCALE_FACTOR = 2;
// The editor loads in a few seconds; a minute allows for a busy shared machine.
const LOAD_TIMEOUT_MS = 60_000;
const STILL_POLL_MS = 100;
const STILL_TIMEOUT_MS = 5_000;
// A parked mouse shows no hover toolbar or tooltip; this corner is backdrop or empty canvas.
const PARKED_MOUSE = { x: 8, y: 8 };

const AUTO_OPENED_DIALOG_CLOSE = '.el-overlay:visible .el-dialog__headerbtn';
const ERROR_TOAST = '.el-notification--error';

function loadPlaywright() {
	try {
		return require('playwright-core');
	} catch (error) {
		throw new Error(
			'playwright-core is not installed. Run `npm install` (it is a dev dependency), ' +
				`or \`npm install --no-save playwright-core\`. (${String(error)})`,
		);
	}
}

/** Chromium from the system's packages; Playwright gives each launch a fresh profile folder. */
async function launchChromium() {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium was not found at ${CHROMIUM_PATH}. On Debian or Ubuntu install it with ` +
				'`sudo apt-get update && sudo apt-get install -y chromium`, ' +
				'or set NOVA_CHROMIUM to the path of another Chromium or Chrome.',
		);
	}
	const { chromium } = loadPlaywright();
	return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Resolves once the element has kept its place and size for two polls (animations done). */
async function waitUntilStill(locator) {
	const giveUpAt = Date.now() + STILL_TIMEOUT_MS;
	let previous = '';
	while (Date.now() < giveUpAt) {
		const current = JSON.stringify(await locator.boundingBox());
		if (current === previous) return;
		previous = current;
		await new Promise((resolve) => setTimeout(resolve, STILL_POLL_MS));
	}
	throw new Error(`${locator} kept moving for ${STILL_TIMEOUT_MS} ms`);
}

async function newEditorPage(browser, { baseUrl, cookie, heightPx }) {
	const context = await browser.newContext({
		viewport: { width: VIEWPORT_WIDTH_PX, height: heightPx ?? DEFAULT_VIEWPORT_HEIGHT_PX },
		deviceScaleFactor: DEVICE_SCALE_FACTOR,
	});
	await context.addCookies([cookie]);
	// The editor asks n8n.io for banners and the like; failing those at once, instead of
	// letting the closed network time them out, keeps the load quick and the picture stable.
	const editorOrigin = new URL(baseUrl).origin;
	await context.route(
		(url) => url.origin !== editorOrigin,
		(route) => route.abort(),
	);
	return await context.newPage();
}

/** Closes whatever welcome or survey dialog n8n opens by itself for a new owner. */
async function dismissDialogs(page) {
	const closeButtons = page.locator(AUTO_OPENED_DIALOG_CLOSE);
	for (let attempt = 0; attempt < 5 && (await closeButtons.count()) > 0; attempt++) {
		await closeButtons.first().click();
		await closeButtons
			.first()
			.waitFor({ state: 'hidden' })
			.catch(() => {
				// Another dialog took its place; the next round closes that one.
			});
	}
}

async function openWorkflow(page, baseUrl, workflow) {
	await page.goto(`${baseUrl}/workflow/${workflow.id}`);
	const canvasNodes = page.locator('[data-test-id="canvas-node"]');
	await canvasNodes.nth(workflow.nodes.length - 1).waitFor({ timeout: LOAD_TIMEOUT_MS });
	await page.evaluate(async () => await document.fonts.ready);
	await dismissDialogs(page);
	await waitUntilStill(canvasNodes.first());
}

async function zoomIn(page, steps) {
	// n8n's canvas shortcut for zooming in; a click on the zoom button would leave it highlighted.
	for (let step = 0; step < steps; step++) {
		await page.keyboard.press('=');
		await waitUntilStill(page.locator('[data-test-id="canvas-node"]').first());
	}
}

async function openNode(page, nodeName) {
	const canvasNode = page.locator('[data-test-id="canvas-node"]').filter({ hasText: nodeName });
	await canvasNode.dblclick();
	await page.locator('[data-test-id="node-parameters"]').waitFor();
	await waitUntilStill(page.locator('[data-test-id="ndv"]'));
}

async function expandWebhookUrls(page) {
	await page.locator('[data-test-id="node-parameters"] .webhooks .headline').click();
	await page.getByText('/webhook-test/').waitFor();
}

async function parkMouse(page) {
	await page.mouse.move(PARKED_MOUSE.x, PARKED_MOUSE.y);
	await page.locator('[role="tooltip"]:visible').first().waitFor({ state: 'hidden' });
}

/** Refuses a picture with a broken node icon, an error toast, or without what it must show. */
async function checkPicture(page, mustShow) {
	const brokenIcons = await page.$$eval('img[src*="/icons/"]', (images) =>
		images.filter((image) => !image.complete || image.naturalWidth === 0).map((image) => image.src),
	);
	if (brokenIcons.length > 0) throw new Error(`Node icons did not load: ${brokenIcons}`);

	const errorToasts = await page.locator(ERROR_TOAST).allInnerTexts();
	if (errorToasts.length > 0) throw new Error(`n8n shows an error: ${errorToasts.join(' | ')}`);

	for (const selector of mustShow) {
		await page.locator(selector).first().waitFor({ state: 'visible' });
	}
}

/**
 * Opens `picture.workflow` in the editor, optionally zooms in or opens one node, checks the
 * view and saves it as a PNG.
 */
async function takePicture(browser, { baseUrl, cookie, picture, outputFile }) {
	const page = await newEditorPage(browser, { baseUrl, cookie, heightPx: picture.heightPx });
	try {
		await openWorkflow(page, baseUrl, picture.workflow);
		await zoomIn(page, picture.zoomInSteps ?? 0);
		if (picture.openNode) await openNode(page, picture.openNode);
		if (picture.expandWebhookUrls) await expandWebhookUrls(page);
		await parkMouse(page);
		await checkPicture(page, picture.mustShow ?? []);
		await page.screenshot({ path: outputFile });
	} finally {
		await page.context().close();
	}
}

module.exports = { launchChromium, takePicture };
