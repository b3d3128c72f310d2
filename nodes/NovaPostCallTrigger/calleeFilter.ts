import type { PhoneCountry } from './phoneCountries';
import { normalizePhoneNumber } from './phoneNumber';

const PHONE_LIKE = /^[\d\s+().\-/]+$/;

/**
 * The form in which a callee and a filter entry are compared: E.164 when the number can be
 * normalised, its digits when it looks like a number that cannot, and otherwise the text in
 * lower case, so that an assistant name or ID can be filtered on too.
 */
export function calleeKey(value: unknown, country?: PhoneCountry): string | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	const trimmed = text.trim();
	if (trimmed === '') return undefined;

	const phone = normalizePhoneNumber(trimmed, country);
	if (phone.kind === 'normalized') return phone.value;
	if (PHONE_LIKE.test(trimmed)) return trimmed.replace(/\D/g, '');
	return trimmed.toLowerCase();
}

/** The filter entries of "Only Calls To", each in its comparison form. */
export function parseCalleeFilter(text: string, country?: PhoneCountry): string[] {
	return text
		.split(/[,;\n]+/)
		.map((entry) => calleeKey(entry, country))
		.filter((key): key is string => key !== undefined);
}

/** Whether a call to `callee` passes the filter. An empty filter lets every call through. */
export function passesCalleeFilter(
	callee: unknown,
	filter: readonly string[],
	country?: PhoneCountry,
): boolean {
	if (filter.length === 0) return true;
	const key = calleeKey(callee, country);
	return key !== undefined && filter.includes(key);
}
