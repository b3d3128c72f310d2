'use strict';

// `npm run screenshots`: the README's pictures, taken in headless Chromium from a real n8n
// with this package's nodes, so they show the nodes exactly as a user meets them.
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT, startN8n } = require('./lib/n8nRuntime');
const { launchChromium, takePicture } = require('./screenshots/editor');
const { findFreePortPair } = require('./lib/freePort');
const { createOwnerSession } = require('./screenshots/ownerAccount');

const DEMO_WORKFLOW = require('./demo/workflow.json');
const CONDITION_WORKFLOW = require('../examples/appointment-condition.json');
const AI_CONDITION_WORKFLOW = require('../examples/appointment-ai-condition.json');

const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');
// Webhook URLs in the pictures read like an installation's, not like a random local port.
const SHOWN_WEBHOOK_BASE_URL = 'https://n8n.example.com/';
const TRIGGER_TYPE = 'n8n-nodes-novavoca.novaPostCallTrigger';
const API_REQUEST_TYPE = 'n8n-nodes-novavoca.novaApiRequest';

function nodeNameOfType(workflow, type) {
	const node = workflow.nodes.find((candidate) => candidate.type === type);
	if (!node) throw new Error(`"${workflow.name}" has no node of type ${type}`);
	return node.name;
}

const PICTURES = [
	{ file: 'workflow.png', workflow: DEMO_WORKFLOW, zoomInSteps: 2 },
	{
		file: 'trigger.png',
		workflow: DEMO_WORKFLOW,
		openNode: nodeNameOfType(DEMO_WORKFLOW, TRIGGER_TYPE),
		expandWebhookUrls: true,
		mustShow: ['[data-test-id="node-parameters"] .notice'],
	},
	{
		file: 'api-request.png',
		workflow: CONDITION_WORKFLOW,
		openNode: nodeNameOfType(CONDITION_WORKFLOW, API_REQUEST_TYPE),
		// Tall enough to show everything from the notice to the rules without scrolling.
		heightPx: 1150,
		mustShow: ['[data-test-id="node-parameters"] .cm-content', '[data-test-id="filter-condition"]'],
	},
	{ file: 'condition.png', workflow: CONDITION_WORKFLOW, zoomInSteps: 1 },
	{ file: 'ai-condition.png', workflow: AI_CONDITION_WORKFLOW, zoomInSteps: 1 },
];

/** Throwaway data for each credential type the workflows refer to; nothing is ever called. */
function throwawayCredentialData(type) {
	if (type === 'novaWebhookSecretApi') {
		const secret = randomBytes(24).toString('hex');
		return { headerName: 'Authorization', format: 'bearer', secret, previousSecret: '' };
	}
	if (type === 'openAiApi')
		return { apiKey: 'sk-screenshots-only', url: 'https://api.openai.com/v1' };
	throw new Error(`No throwaway data for a ${type} credential`);
}

/** A credential for every one the workflows refer to, so that no node shows a credential error. */
function throwawayCredentials(workflows) {
	const references = workflows.flatMap((workflow) =>
		workflow.nodes.flatMap((node) =>
			Object.entries(node.credentials ?? {}).map(([type, reference]) => ({ type, ...reference })),
		),
	);
	const unique = new Map(references.map((reference) => [reference.id, reference]));
	return [...unique.values()].map(({ id, name, type }) => ({
		id,
		name,
		type,
		data: throwawayCredentialData(type),
	}));
}

function checkBuilt() {
	const builtNode = path.join(REPO_ROOT, 'dist', 'nodes', 'NovaApiRequest');
	if (!fs.existsSync(builtNode)) {
		throw new Error('dist/ has no built nodes. Run `npm run build` first.');
	}
}

async function takeAllPictures(browser, runtime) {
	const cookie = await createOwnerSession(runtime.baseUrl);
	fs.mkdirSync(IMAGES_DIR, { recursive: true });
	for (const picture of PICTURES) {
		const outputFile = path.join(IMAGES_DIR, picture.file);
		await takePicture(browser, { baseUrl: runtime.baseUrl, cookie, picture, outputFile });
		console.log(`  ${path.relative(REPO_ROOT, outputFile)}`);
	}
}

/** Runs `work` against an n8n of its own, in a temporary user folder removed afterwards. */
async function withThrowawayN8n(workflows, work) {
	// Another n8n may be running on 5678; this one's owner and data stay out of it.
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-screenshots-'));
	try {
		const port = await findFreePortPair();
		console.log(`Starting n8n on port ${port} with the Nova nodes…`);
		const runtime = await startN8n({
			port,
			userFolder,
			setup: { workflows, credentials: throwawayCredentials(workflows) },
			env: { WEBHOOK_URL: SHOWN_WEBHOOK_BASE_URL, N8N_DYNAMIC_BANNERS_ENABLED: 'false' },
			log: console.log,
		});
		try {
			await work(runtime);
		} finally {
			await runtime.stop();
		}
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function main() {
	checkBuilt();
	const startedAt = Date.now();
	// Chromium first: a missing one should fail before n8n spends half a minute starting.
	const browser = await launchChromium();
	try {
		await withThrowawayN8n(
			[DEMO_WORKFLOW, CONDITION_WORKFLOW, AI_CONDITION_WORKFLOW],
			async (runtime) => {
				console.log('Taking pictures:');
				await takeAllPictures(browser, runtime);
			},
		);
	} finally {
		await browser.close();
	}
	console.log(`Done in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
