import { countriesByCallingCode, type PhoneCountry } from './phoneCountries';

export type PhoneResult =
	{ kind: 'normalized'; value: string } | { kind: 'unsure'; reason: string } | { kind: 'empty' };

// E.164 allows at most 15 digits; the shortest numbers in service (small island nations) have 7.
const E164_MIN_DIGITS = 7;
const E164_MAX_DIGITS = 15;

// Spaces of every width, dashes of every length, dots, slashes and parentheses.
const FORMATTING = /[\s\u00a0\u2000-\u200b\u202f\u2010-\u2015.\-/()]/g;
// "+49 (0)30 …": the (0) is the trunk prefix written for callers at home; E.164 has none.
const TRUNK_HINT = /\(\s*0\s*\)/;

const unsure = (reason: string): PhoneResult => ({ kind: 'unsure', reason });

function inE164(digits: string): PhoneResult {
	if (digits.startsWith('0')) return unsure('no country calling code starts with 0');
	if (digits.length < E164_MIN_DIGITS || digits.length > E164_MAX_DIGITS) {
		return unsure(`${digits.length} digits cannot be an international number`);
	}
	return { kind: 'normalized', value: `+${digits}` };
}

/** "+49 030 …" is a common slip: after a known calling code the trunk 0 does not belong. */
function withoutTrunkAfterCallingCode(digits: string): string {
	const [country] = countriesByCallingCode(digits);
	if (!country || country.trunkPrefix !== '0') return digits;
	const rest = digits.slice(country.callingCode.length);
	return rest.startsWith('0') ? country.callingCode + rest.slice(1) : digits;
}

function fromNational(digits: string, country: PhoneCountry): PhoneResult {
	const { trunkPrefix, nationalDigits } = country;
	let national = digits;
	if (trunkPrefix !== '' && digits.startsWith(trunkPrefix)) {
		national = digits.slice(trunkPrefix.length);
	} else if (trunkPrefix === '0') {
		return unsure(`no country code and no leading 0: may be a local number in ${country.name}`);
	}

	const [min, max] = nationalDigits;
	if (national.length < min || national.length > max) {
		return unsure(`${national.length} digits do not fit a national number of ${country.name}`);
	}
	return inE164(country.callingCode + national);
}

function readDigits(value: unknown): string | PhoneResult {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
	if (typeof value !== 'string') return unsure('not text or a whole number');
	if (value.trim() === '') return { kind: 'empty' };

	const compact = value.replace(TRUNK_HINT, '').replace(FORMATTING, '');
	if (!/^\+?\d+$/.test(compact)) {
		return unsure('holds characters other than digits, + and formatting');
	}
	return compact;
}

/**
 * Brings a phone number into E.164 (+4930123456) by these rules, in order:
 * formatting (spaces, dashes, dots, slashes, parentheses, a "(0)") is removed; a leading + or
 * the international prefix (00, or the default country's own, such as 011) marks an
 * international number; otherwise the default country's trunk prefix (0 in most of Europe,
 * 1 in North America) is dropped and its calling code put in front. Anything the rules cannot
 * settle (letters, extensions, a national number without a default country, a length that
 * does not fit) comes back as `unsure` with the reason, and the caller keeps the value as is.
 */
export function normalizePhoneNumber(value: unknown, defaultCountry?: PhoneCountry): PhoneResult {
	const digits = readDigits(value);
	if (typeof digits !== 'string') return digits;

	if (digits.startsWith('+')) return inE164(withoutTrunkAfterCallingCode(digits.slice(1)));

	const internationalPrefix = defaultCountry?.internationalPrefix ?? '00';
	if (digits.startsWith(internationalPrefix)) {
		return inE164(withoutTrunkAfterCallingCode(digits.slice(internationalPrefix.length)));
	}
	if (!defaultCountry) return unsure('no country code, and no Default Country is set');
	return fromNational(digits, defaultCountry);
}
