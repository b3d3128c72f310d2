'use strict';

const { randomBytes } = require('node:crypto');

// n8n's auth cookie (AUTH_COOKIE_NAME in n8n's cli package).
const AUTH_COOKIE = 'n8n-auth';
const OWNER = { email: 'docs@example.com', firstName: 'Nova', lastName: 'Docs' };
// n8n reports ready before it has mounted its REST routes; they follow within seconds.
const REST_TIMEOUT_MS = 60_000;
const REST_POLL_MS = 250;

async function waitForRestApi(baseUrl) {
	const giveUpAt = Date.now() + REST_TIMEOUT_MS;
	while (Date.now() < giveUpAt) {
		// A refused connection means the same as a 404 here: not yet, ask again.
		const response = await fetch(`${baseUrl}/rest/settings`).catch(() => undefined);
		if (response?.ok) return;
		await new Promise((resolve) => setTimeout(resolve, REST_POLL_MS));
	}
	throw new Error(`n8n's REST API at ${baseUrl}/rest did not answer within ${REST_TIMEOUT_MS} ms`);
}

async function postJson(url, body) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!response.ok) {
		const excerpt = (await response.text()).slice(0, 300);
		throw new Error(`POST ${url} answered ${response.status}: ${excerpt}`);
	}
	return response;
}

function authCookieValue(response) {
	const prefix = `${AUTH_COOKIE}=`;
	const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith(prefix));
	if (!header) throw new Error(`n8n's login answer set no ${AUTH_COOKIE} cookie`);
	return header.slice(prefix.length).split(';')[0];
}

/**
 * Creates the owner account of a fresh n8n (the editor shows only a sign-up form until one
 * exists), logs in, and returns the auth cookie for a browser context. The cookie carries no
 * browser id, so n8n accepts it from any browser.
 */
async function createOwnerSession(baseUrl) {
	// n8n wants 8 to 64 characters with a digit and an upper-case letter.
	const password = `Docs-${randomBytes(12).toString('hex')}-7`;
	await waitForRestApi(baseUrl);
	await postJson(`${baseUrl}/rest/owner/setup`, { ...OWNER, password });
	const login = await postJson(`${baseUrl}/rest/login`, {
		emailOrLdapLoginId: OWNER.email,
		password,
	});
	return { name: AUTH_COOKIE, value: authCookieValue(login), url: baseUrl };
}

module.exports = { createOwnerSession };
