import { normalizeAppointmentDate, type DateResult } from './appointmentDate';
import { normalizePhoneNumber, type PhoneResult } from './phoneNumber';
import { isRecord, type Variables } from './requestVariables';
import type { NormalizationSettings } from './settings';

export const PHONE_VARIABLES: ReadonlySet<string> = new Set([
	'phone',
	'caller_number',
	'callee_number',
]);

export interface Normalized {
	variables: Variables;
	/** The value as received of every variable that normalising changed. */
	original: Variables;
	/** Why a variable was left as received although its normalisation was asked for. */
	notNormalized: Record<string, string>;
}

/** Trims every string inside `value`; returns `value` itself when nothing changed. */
export function trimDeep(value: unknown): unknown {
	if (typeof value === 'string') return value.trim();
	if (Array.isArray(value)) {
		const items = value.map(trimDeep);
		return items.every((item, index) => item === value[index]) ? value : items;
	}
	if (!isRecord(value)) return value;

	const entries = Object.entries(value);
	const trimmed = entries.map(([key, item]) => [key, trimDeep(item)] as const);
	const changed = trimmed.some(([, item], index) => item !== entries[index][1]);
	return changed ? Object.fromEntries(trimmed) : value;
}

type Rule = (value: unknown) => PhoneResult | DateResult;

function ruleFor(name: string, settings: NormalizationSettings): Rule | undefined {
	if (settings.phoneNumbers && PHONE_VARIABLES.has(name)) {
		return (value) => normalizePhoneNumber(value, settings.defaultCountry);
	}
	if (settings.appointmentDate && name === 'appointment_date') return normalizeAppointmentDate;
	return undefined;
}

/**
 * Applies the normalisations the user chose. It never loses a value: whatever it changes is
 * kept as received in `original`, and a value it is unsure about stays as received, with the
 * reason in `notNormalized`. A variable that is absent or null is left alone.
 */
export function normalizeVariables(
	variables: Variables,
	settings: NormalizationSettings,
): Normalized {
	// Entry lists, not assignments, so that a variable named "__proto__" stays plain data.
	const [normalized, original, notNormalized]: Array<Array<[string, unknown]>> = [[], [], []];
	for (const [name, received] of Object.entries(variables)) {
		let value = settings.trimStrings ? trimDeep(received) : received;
		const rule = value === null || value === undefined ? undefined : ruleFor(name, settings);
		const outcome = rule?.(value);
		if (outcome?.kind === 'normalized') value = outcome.value;
		if (outcome?.kind === 'unsure') notNormalized.push([name, outcome.reason]);
		if (value !== received) original.push([name, received]);
		normalized.push([name, value]);
	}
	return {
		variables: Object.fromEntries(normalized),
		original: Object.fromEntries(original),
		notNormalized: Object.fromEntries(notNormalized) as Record<string, string>,
	};
}
