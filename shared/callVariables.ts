/**
 * The variables Nova fills in for every call, in the order Nova's documentation lists them.
 * Custom extraction variables that a user defines in Nova come on top of these.
 */
export const STANDARD_CALL_VARIABLES = [
	{ name: 'name', description: "Caller's name" },
	{ name: 'email', description: 'Email address' },
	{ name: 'phone', description: 'Phone number' },
	{ name: 'caller_number', description: "Caller's phone number" },
	{ name: 'callee_number', description: 'Number that was called' },
	{ name: 'reason', description: 'Reason for the call' },
	{ name: 'appointment_date', description: 'Appointment' },
	{ name: 'summary', description: 'AI summary of the call' },
] as const;

export type StandardCallVariable = (typeof STANDARD_CALL_VARIABLES)[number]['name'];

export const STANDARD_CALL_VARIABLE_NAMES: readonly StandardCallVariable[] =
	STANDARD_CALL_VARIABLES.map((variable) => variable.name);

/** Nova aborts its own post-call request after this long and never retries it. */
export const NOVA_TIMEOUT_MS = 10_000;
