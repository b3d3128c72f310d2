import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { NaturalLanguageJudge } from './naturalLanguage';
import type { ConditionMode, ItemSettings } from './settings';

/** Whether an item is sent, and why not when it is not. Recorded on both outputs. */
export interface Verdict extends IDataObject {
	mode: ConditionMode;
	send: boolean;
	reason: string;
	/** In natural-language mode, what the model said, or 'undecided' when it said nothing usable. */
	verdict?: 'yes' | 'no' | 'undecided';
}

/**
 * Decides whether one item is sent. Rules are n8n's own filter, evaluated by n8n for the item.
 *
 * @throws NodeOperationError when a rule cannot be evaluated, such as a type mismatch.
 */
export function evaluateCondition(
	ctx: IExecuteFunctions,
	mode: Exclude<ConditionMode, 'naturalLanguage'>,
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

/**
 * Decides whether one item is sent, in whichever mode the item's settings name.
 *
 * @throws NodeOperationError for rules that cannot be evaluated or a condition without a model.
 * @throws NodeApiError when the model cannot decide and "If the AI Cannot Decide" is "Fail".
 */
export async function decide(
	ctx: IExecuteFunctions,
	settings: ItemSettings,
	variables: IDataObject,
	judge: NaturalLanguageJudge,
	itemIndex: number,
): Promise<Verdict> {
	const { conditionMode, naturalLanguage } = settings;
	if (conditionMode !== 'naturalLanguage') return evaluateCondition(ctx, conditionMode, itemIndex);
	if (!naturalLanguage) throw new NodeOperationError(ctx.getNode(), 'No condition was read');
	return await judge.verdict(naturalLanguage, variables, itemIndex);
}
