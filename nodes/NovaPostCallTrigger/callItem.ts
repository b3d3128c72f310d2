import type { IDataObject } from 'n8n-workflow';

import { STANDARD_CALL_VARIABLE_NAMES } from '../../shared/callVariables';
import { normalizeVariables } from './normalize';
import type { Variables } from './requestVariables';
import type { SecretName, SecretSettings } from './secret';
import type { TriggerSettings } from './settings';

export interface ReceivedCall {
	variables: Variables;
	source: string;
	method: string;
	receivedAt: Date;
	authenticatedWith: SecretName;
	headers: Record<string, string | string[] | undefined>;
}

/** The item's one key that is not a call variable. */
export const METADATA_KEY = 'nova';
// Credentials in their own right: never copied, whichever header carries the secret.
const HEADERS_NEVER_COPIED = new Set(['authorization', 'proxy-authorization', 'cookie']);
// Shorter secrets are not searched for inside values: they would match ordinary text.
const MIN_REDACTED_SECRET_CHARS = 8;
const REDACTED = '[redacted]';

const STANDARD: ReadonlySet<string> = new Set(STANDARD_CALL_VARIABLE_NAMES);

function copiedHeaders(call: ReceivedCall, secrets: SecretSettings): IDataObject {
	const isCopied = (name: string) => !HEADERS_NEVER_COPIED.has(name) && name !== secrets.headerName;
	return Object.fromEntries(Object.entries(call.headers).filter(([name]) => isCopied(name)));
}

function metadata(
	call: ReceivedCall,
	normalized: ReturnType<typeof normalizeVariables>,
	settings: TriggerSettings,
	secrets: SecretSettings,
): IDataObject {
	const { original, notNormalized, variables } = normalized;
	return {
		receivedAt: call.receivedAt.toISOString(),
		method: call.method,
		source: call.source,
		authenticatedWith: call.authenticatedWith,
		...(Object.keys(original).length ? { original } : {}),
		...(Object.keys(notNormalized).length ? { notNormalized } : {}),
		...(settings.includeHeaders ? { headers: copiedHeaders(call, secrets) } : {}),
		...(Object.hasOwn(variables, METADATA_KEY) ? { variableNamedNova: variables.nova } : {}),
	} as IDataObject;
}

function redactText(text: string, secrets: readonly string[]): string {
	return secrets.reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text);
}

/** A copy of `value` in which no configured secret appears, in keys or in values. */
function redactSecrets(value: unknown, secrets: readonly string[]): unknown {
	if (typeof value === 'string') return redactText(value, secrets);
	if (Array.isArray(value)) return value.map((item) => redactSecrets(item, secrets));
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => [
			redactText(key, secrets),
			redactSecrets(item, secrets),
		]),
	);
}

/**
 * The item a call becomes: the eight standard variables first, null when Nova did not send
 * them, then every other variable as received (types and nesting kept), then `nova`, which
 * says when and how the call arrived and keeps the original of every normalised value.
 */
export function buildCallItem(
	call: ReceivedCall,
	settings: TriggerSettings,
	secrets: SecretSettings,
): IDataObject {
	const normalized = normalizeVariables(call.variables, settings.normalization);
	const { variables } = normalized;
	const standard = STANDARD_CALL_VARIABLE_NAMES.map((name) => [
		name,
		Object.hasOwn(variables, name) ? variables[name] : null,
	]);
	const custom = Object.entries(variables).filter(
		([name]) => !STANDARD.has(name) && name !== METADATA_KEY,
	);
	const json = Object.fromEntries([
		...standard,
		...custom,
		[METADATA_KEY, metadata(call, normalized, settings, secrets)],
	]);

	const secretValues = secrets.secrets
		.map((secret) => secret.value)
		.filter((value) => value.length >= MIN_REDACTED_SECRET_CHARS);
	return redactSecrets(json, secretValues) as IDataObject;
}
