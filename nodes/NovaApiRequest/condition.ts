import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { ConditionMode } from './settings';

/** Whether an item is sent, and why not when it is not. Recorded on both outputs. */
export interface Verdict extends IDataObject {
	mode: ConditionMode;
	send: boolean;
	reason: string;
}

/**
 * Decides whether one item is sent. Rules are n8n's own filter, evaluated by n8n for the item.
 *
 * @throws NodeOperationError when a rule cannot be evaluated, such as a type mismatch.
 */
export function evaluateCondition(
	ctx: IExecuteFunctions,
	mode: ConditionMode,
	itemIndex: number,
): Verdict {
	if (mode === 'always') return { mode, send: true, reason: 'Send is set to Always' };

	let pass: boolean;
	try {
		pass = ctx.getNodeParameter('rules', itemIndex, false, { extractValue: true }) as boolean;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			itemIndex,
			description: 'Check the Rules: each one compares a call variable with a value.',
		});
	}
	return pass
		? { mode, send: true, reason: 'The rules match this call' }
		: { mode, send: false, reason: 'The rules do not match this call' };
}
