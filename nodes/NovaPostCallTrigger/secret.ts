import { createHash, timingSafeEqual } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { isHeaderName } from '../../shared/template';

export type SecretFormat = 'bearer' | 'plain';
export type SecretName = 'secret' | 'previousSecret';

export interface SecretSettings {
	/** Lower case, as Node.js names incoming headers. */
	headerName: string;
	format: SecretFormat;
	secrets: Array<{ slot: SecretName; value: string }>;
}

// Nova sends the secret in a header, so it must survive there unchanged: visible ASCII only.
const HEADER_SAFE = /^[\x21-\x7e]+$/;
/** Shorter secrets can be guessed; the credential test says so, the trigger still accepts them. */
export const MIN_SECRET_CHARS = 16;
const BEARER = /^bearer[ \t]+(\S.*)$/i;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The problem that stops the trigger from checking requests at all, if there is one. */
export function secretSettingsProblem(data: ICredentialDataDecryptedObject): string | undefined {
	if (!isHeaderName(text(data.headerName))) {
		return 'The Header Name may hold only letters, digits and - (such as Authorization)';
	}
	if (text(data.secret) === '') return 'Enter a Secret';
	return undefined;
}

/** What the credential test reports: the hard problems, then the advice. */
export function credentialProblem(data: ICredentialDataDecryptedObject): string | undefined {
	const problem = secretSettingsProblem(data);
	if (problem) return problem;

	const [secret, previous] = [text(data.secret), text(data.previousSecret)];
	if (!HEADER_SAFE.test(secret) || (previous !== '' && !HEADER_SAFE.test(previous))) {
		return 'Use only letters, digits and punctuation in a secret, without spaces';
	}
	if (secret.length < MIN_SECRET_CHARS) {
		return `Use a Secret of at least ${MIN_SECRET_CHARS} characters so that it cannot be guessed`;
	}
	if (previous === secret) return 'The Previous Secret is the Secret itself: clear it';
	return undefined;
}

export function readSecretSettings(data: ICredentialDataDecryptedObject): SecretSettings {
	const secrets: SecretSettings['secrets'] = [{ slot: 'secret', value: text(data.secret) }];
	const previous = text(data.previousSecret);
	if (previous !== '') secrets.push({ slot: 'previousSecret', value: previous });
	return {
		headerName: text(data.headerName).toLowerCase(),
		format: data.format === 'plain' ? 'plain' : 'bearer',
		secrets,
	};
}

/** The secret the request presents in the configured header, or undefined when there is none. */
export function presentedSecret(
	headers: Record<string, string | string[] | undefined>,
	settings: SecretSettings,
): string | undefined {
	const value = headers[settings.headerName];
	if (typeof value !== 'string') return undefined;
	const secret = settings.format === 'bearer' ? BEARER.exec(value.trim())?.[1] : value;
	return secret?.trim() || undefined;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Which configured secret the presented one equals, compared in constant time. Both sides are
 * hashed first so that the comparison neither stops early at a length difference nor leaks the
 * secret's length. Two slots are always compared, the second against nothing when there is no
 * previous secret, so the time taken does not tell whether one is configured.
 */
export function matchingSecret(
	presented: string | undefined,
	settings: SecretSettings,
): SecretName | undefined {
	const presentedDigest = digest(presented ?? '');
	let match: SecretName | undefined;
	for (const entry of [settings.secrets[0], settings.secrets[1]]) {
		const equal = timingSafeEqual(presentedDigest, digest(entry?.value ?? ''));
		if (equal && entry?.value && presented !== undefined) match ??= entry.slot;
	}
	return match;
}
