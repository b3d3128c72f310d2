import { NodeOperationError, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';

import { parseCalleeFilter } from './calleeFilter';
import { parseAllowList, type AllowedRange } from './ipAllowList';
import { phoneCountry, type PhoneCountry } from './phoneCountries';

/** Nova's payload is a handful of variables and a summary; 1 MiB leaves ample room. */
export const DEFAULT_MAX_BODY_KB = 1024;

export interface NormalizationSettings {
	trimStrings: boolean;
	phoneNumbers: boolean;
	appointmentDate: boolean;
	defaultCountry?: PhoneCountry;
}

export interface TriggerSettings {
	/** Comparison keys of "Only Calls To"; empty lets every call through. */
	calleeFilter: string[];
	/** Undefined lets every address through. */
	allowList?: AllowedRange[];
	normalization: NormalizationSettings;
	includeHeaders: boolean;
	maxBodyBytes: number;
}

interface TriggerOptions {
	allowedIps?: string;
	defaultCountry?: string;
	includeHeaders?: boolean;
	maxBodySizeKb?: number;
	normalizeAppointmentDate?: boolean;
	normalizePhoneNumbers?: boolean;
	trimStrings?: boolean;
}

type SettingsContext = Pick<IWebhookFunctions | IHookFunctions, 'getNodeParameter' | 'getNode'>;

function misconfigured(ctx: SettingsContext, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { description });
}

function readAllowList(ctx: SettingsContext, text: string): AllowedRange[] | undefined {
	if (text.trim() === '') return undefined;
	const { ranges, invalid } = parseAllowList(text);
	if (invalid.length === 0) return ranges;
	return misconfigured(
		ctx,
		`"IP Allowlist" holds entries that are not addresses or ranges: ${invalid.join(', ')}`,
		'Write IPv4 or IPv6 addresses or CIDR ranges, separated by commas, such as 203.0.113.7, 198.51.100.0/24',
	);
}

function readCountry(ctx: SettingsContext, code: string | undefined): PhoneCountry | undefined {
	if (code === undefined || code === 'none') return undefined;
	return (
		phoneCountry(code) ??
		misconfigured(ctx, `"Default Country" ${code} is not in the list`, 'Choose a country again')
	);
}

function readMaxBodyBytes(ctx: SettingsContext, kilobytes = DEFAULT_MAX_BODY_KB): number {
	if (Number.isFinite(kilobytes) && kilobytes > 0) return Math.floor(kilobytes * 1024);
	return misconfigured(
		ctx,
		`"Max Body Size (KB)" must be a positive number, not ${kilobytes}`,
		`Enter the largest body to accept in kilobytes, such as ${DEFAULT_MAX_BODY_KB}`,
	);
}

/**
 * Reads and checks the node's parameters. Read on every request, because the trigger keeps
 * nothing in memory between requests: in queue mode they may land on different processes.
 */
export function readTriggerSettings(ctx: SettingsContext): TriggerSettings {
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	const defaultCountry = readCountry(ctx, options.defaultCountry);
	const calleeNumbers = String(ctx.getNodeParameter('calleeNumbers', ''));

	return {
		calleeFilter: parseCalleeFilter(calleeNumbers, defaultCountry),
		allowList: readAllowList(ctx, options.allowedIps ?? ''),
		normalization: {
			trimStrings: options.trimStrings === true,
			phoneNumbers: options.normalizePhoneNumbers === true,
			appointmentDate: options.normalizeAppointmentDate === true,
			defaultCountry,
		},
		includeHeaders: options.includeHeaders === true,
		maxBodyBytes: readMaxBodyBytes(ctx, options.maxBodySizeKb),
	};
}
