import type { INodeProperties, INodeType } from 'n8n-workflow';

import { NovaApiRequest } from '../../nodes/NovaApiRequest/NovaApiRequest.node';
import { NovaPostCallTrigger } from '../../nodes/NovaPostCallTrigger/NovaPostCallTrigger.node';

// n8n's editor renders a notice's text with links and lists only; any other tag disappears and
// runs the text together, as <br> and <code> did in the trigger's setup notice.
const KEPT_TAGS = new Set(['a', 'ul', 'li']);

function notices(nodeType: INodeType): INodeProperties[] {
	return nodeType.description.properties.filter((property) => property.type === 'notice');
}

describe.each([
	['Nova API Request', new NovaApiRequest()],
	['Nova Post-Call Trigger', new NovaPostCallTrigger()],
])('%s notices', (_name, nodeType) => {
	it.each(notices(nodeType).map((notice) => [notice.name, notice]))(
		'%s uses only the tags n8n shows',
		(_noticeName, notice) => {
			const tags = [...notice.displayName.matchAll(/<\/?([a-z0-9]+)/gi)].map(([, tag]) => tag);

			expect(tags.filter((tag) => !KEPT_TAGS.has(tag.toLowerCase()))).toEqual([]);
		},
	);
});
