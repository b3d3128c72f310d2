import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { isHeaderName } from '../../shared/template';

const REQUIRED_FIELDS: Record<string, Array<[field: string, label: string]>> = {
	bearer: [['token', 'Token']],
	header: [
		['headerName', 'Header Name'],
		['headerSecret', 'Header Value'],
	],
	basic: [
		['user', 'User'],
		['password', 'Password'],
	],
	query: [
		['queryName', 'Parameter Name'],
		['querySecret', 'Parameter Value'],
	],
};

/**
 * What is wrong with a Nova Request Authentication credential, or undefined when it is complete.
 * There is no fixed endpoint to try it against, so it is checked for what can be checked offline.
 */
export function credentialProblem(data: ICredentialDataDecryptedObject): string | undefined {
	const fields = REQUIRED_FIELDS[String(data.scheme)];
	if (!fields) return 'Choose a Type for the credential';

	for (const [field, label] of fields) {
		const value = data[field];
		if (typeof value !== 'string' || value.trim() === '') return `Enter a ${label}`;
		if (/[\r\n]/.test(value)) return `The ${label} must be on one line`;
	}
	if (data.scheme === 'header' && !isHeaderName(String(data.headerName))) {
		return 'The Header Name may hold only letters, digits and -, such as X-API-Key';
	}
	return undefined;
}
